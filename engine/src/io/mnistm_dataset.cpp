// MNIST-M style digits: an MNIST digit blended into a real photo crop by out = |crop - digit|
// per channel, so the strokes show as the photo's colours inverted. Labelled, split train/test.
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "atelier/dataset.h"
#include "io/synthetic_set.h"

namespace atelier {
namespace {

using io::synth::Rng;
using nlohmann::json;

json write_split(const MnistmOptions& options, const io::synth::Backgrounds& backgrounds,
                 const io::synth::DigitSource& digits, Rng& rng, const std::string& split,
                 int count) {
  const std::string folder = options.out + "/" + split + "/";
  std::string csv = "file,label\n";
  json labels = json::array();
  for (int i = 0; i < count; ++i) {
    const std::string file = io::synth::index_file(i);
    int photo = 0;
    const Image crop = io::synth::random_crop(backgrounds, rng, options.size, &photo);
    const int source = rng.integer(0, digits.count() - 1);
    const Image digit = resize_image(digits.item(source), options.size, options.size);
    save_image(io::synth::blend_difference(crop, digit), folder + file);
    csv += file + "," + std::to_string(digits.label(source)) + "\n";
    labels.push_back(
        {{"file", file}, {"label", digits.label(source)}, {"source", source}, {"photo", photo}});
  }
  io::synth::write_text(folder + "labels.csv", csv);
  return labels;
}

}  // namespace

DatasetSummary make_mnistm_dataset(const MnistmOptions& options) {
  io::synth::check_sizes("MNIST-M dataset", options.n, options.size);
  io::synth::output_holds_dataset(options.out);  // refuse a foreign folder early
  const std::string data = options.data_dir.empty() ? default_data_dir() : options.data_dir;
  const std::string photos = options.backgrounds.empty() ? data + "/images" : options.backgrounds;

  const io::synth::Backgrounds backgrounds = io::synth::load_backgrounds(photos, options.size);
  const io::synth::DigitSplits digits = io::synth::load_digit_splits(data + "/digits/mnist");
  const std::vector<std::string> folders = {"train", "test"};
  io::synth::prepare_output(options.out, folders);

  DatasetSummary summary{options.out, options.n, io::synth::test_count(options.n), folders};
  Rng rng(options.seed);
  json train = write_split(options, backgrounds, digits.train, rng, "train", summary.train);
  json test = write_split(options, backgrounds, digits.test, rng, "test", summary.test);

  const json manifest = {
      {"kind", "mnistm"},
      {"version", 1},
      {"n", options.n},
      {"size", options.size},
      {"seed", options.seed},
      {"train", summary.train},
      {"test", summary.test},
      {"blend", "out = |crop - digit| per channel, digit strokes white (255)"},
      {"classes", {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}},
      {"sources",
       {{"backgrounds", backgrounds.paths},
        {"digits",
         {{"train", {{"images", digits.train.images_path}, {"labels", digits.train.labels_path}}},
          {"test", {{"images", digits.test.images_path}, {"labels", digits.test.labels_path}}}}}}},
      {"labels", {{"train", train}, {"test", test}}}};
  io::synth::write_manifest(options.out, manifest);
  spdlog::info("MNIST-M dataset: {} train and {} test images at {} px in {}", summary.train,
               summary.test, options.size, options.out);
  return summary;
}

}  // namespace atelier
