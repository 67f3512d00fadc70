#include "methods/padain/data.h"

#include <torch/torch.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

#include "atelier/dataset.h"
#include "atelier/error.h"
#include "atelier/file_checks.h"
#include "io/synthetic_set.h"

namespace atelier {
namespace {

constexpr int kClasses = 10;
constexpr int kDigitSide = 28;  // MNIST: a 20x20 digit centred in 28x28
constexpr int kSheetCell = 20;
constexpr int kSheetDigits = 5000;

LabelledImages from_idx(const std::string& folder, bool train, int max_images) {
  const std::string prefix = folder + (train ? "/train" : "/t10k");
  const io::synth::DigitSource source = io::synth::load_digit_source(
      prefix + "-images-idx3-ubyte.gz", prefix + "-labels-idx1-ubyte.gz");
  const int count = max_images > 0 ? std::min(max_images, source.count()) : source.count();
  LabelledImages set;
  set.source = source.images_path;
  for (int i = 0; i < count; ++i) {
    set.images.push_back(source.item(i));
    set.labels.push_back(source.label(i));
  }
  return set;
}

// A make-dataset mnistm split: folder/<split>/labels.csv ("file,label" after a header line).
LabelledImages from_mnistm_folder(const std::string& folder, bool train, int max_images) {
  const std::string split = folder + (train ? "/train" : "/test");
  const std::string csv = split + "/labels.csv";
  require_regular_file(csv, "an MNIST-M label list");
  std::ifstream in(csv);
  LabelledImages set;
  set.source = split;
  std::string line;
  std::getline(in, line);  // header
  int line_number = 1;
  while (std::getline(in, line) &&
         (max_images <= 0 || static_cast<int>(set.labels.size()) < max_images)) {
    ++line_number;
    if (line.empty()) continue;
    const auto comma = line.find(',');
    int label = -1;
    std::istringstream label_text(comma == std::string::npos ? "" : line.substr(comma + 1));
    label_text >> label;
    if (comma == std::string::npos || !label_text || label < 0 || label >= kClasses) {
      throw bad_input(csv + ": line " + std::to_string(line_number) +
                      " is not \"file,label\" with a label 0 to 9");
    }
    set.images.push_back(load_image(split + "/" + line.substr(0, comma)));
    set.labels.push_back(label);
  }
  if (set.labels.empty()) throw bad_input(csv + ": no labelled images");
  return set;
}

}  // namespace

PadainDataset padain_dataset_from_name(const std::string& name) {
  if (name == "fashion") return PadainDataset::Fashion;
  if (name == "mnist") return PadainDataset::Mnist;
  if (name == "mnistm") return PadainDataset::Mnistm;
  throw bad_input("dataset '" + name + "' is not known (known: fashion, mnist, mnistm)");
}

std::string padain_dataset_name(PadainDataset dataset) {
  switch (dataset) {
    case PadainDataset::Fashion:
      return "fashion";
    case PadainDataset::Mnist:
      return "mnist";
    case PadainDataset::Mnistm:
      return "mnistm";
  }
  return "?";
}

LabelledImages load_padain_split(PadainDataset dataset, bool train, const std::string& data_dir,
                                 const std::string& folder, int max_images) {
  switch (dataset) {
    case PadainDataset::Fashion:
      return from_idx(data_dir + "/digits/fashion-mnist", train, max_images);
    case PadainDataset::Mnist:
      return from_idx(data_dir + "/digits/mnist", train, max_images);
    case PadainDataset::Mnistm:
      if (folder.empty()) throw usage_error("the mnistm dataset needs its folder");
      return from_mnistm_folder(folder, train, max_images);
  }
  throw usage_error("unknown dataset");
}

namespace padain {

torch::Tensor to_uint8_batch(const std::vector<Image>& images, int channels,
                             const std::string& source) {
  if (images.empty()) throw bad_input(source + ": no images");
  const Image& first = images.front();
  const auto n = static_cast<std::int64_t>(images.size());
  torch::Tensor batch = torch::empty({n, channels, first.height, first.width}, torch::kUInt8);
  for (std::int64_t i = 0; i < n; ++i) {
    const Image& image = images[static_cast<std::size_t>(i)];
    if (image.width != first.width || image.height != first.height) {
      throw bad_input(source + ": images of mixed sizes (" + std::to_string(first.width) + "x" +
                      std::to_string(first.height) + " and " + std::to_string(image.width) + "x" +
                      std::to_string(image.height) + ")");
    }
    torch::Tensor chw = torch::from_blob(const_cast<std::uint8_t*>(image.pixels.data()),
                                         {image.height, image.width, image.channels}, torch::kUInt8)
                            .narrow(2, 0, std::min(image.channels, 3))
                            .permute({2, 0, 1});
    if (chw.size(0) != channels) {
      chw = channels == 1 ? chw.to(torch::kFloat).mean(0, true).round().to(torch::kUInt8)
                          : chw.expand({channels, image.height, image.width});
    }
    batch[i].copy_(chw);
  }
  return batch;
}

std::vector<Image> to_images(const torch::Tensor& batch) {
  const torch::Tensor hwc = batch.permute({0, 2, 3, 1}).contiguous();
  std::vector<Image> images;
  for (std::int64_t i = 0; i < hwc.size(0); ++i) {
    Image image(static_cast<int>(hwc.size(2)), static_cast<int>(hwc.size(1)),
                static_cast<int>(hwc.size(3)));
    std::memcpy(image.pixels.data(), hwc[i].data_ptr<std::uint8_t>(), image.pixels.size());
    images.push_back(std::move(image));
  }
  return images;
}

LabelledTensors to_tensors(const LabelledImages& set, int channels) {
  const torch::Tensor images = to_uint8_batch(set.images, channels, set.source);
  if (set.labels.size() != set.images.size()) {
    throw bad_input(set.source + ": not one label per image");
  }
  const torch::Tensor labels =
      torch::tensor(std::vector<std::int64_t>(set.labels.begin(), set.labels.end()), torch::kLong);
  if ((labels < 0).any().item<bool>() || (labels >= kClasses).any().item<bool>()) {
    throw bad_input(set.source + ": a label outside 0 to 9");
  }
  return {images, labels};
}

LabelledImages mnistm_style_digits(const std::string& data_dir, int count, std::uint64_t seed) {
  const io::synth::Backgrounds backgrounds =
      io::synth::load_backgrounds(data_dir + "/images", kDigitSide);
  const LabelledImages digits = from_idx(data_dir + "/digits/mnist", false, count);
  io::synth::Rng rng(seed);
  LabelledImages set;
  set.source = "MNIST-M style digits (" + digits.source + " on " + data_dir + "/images)";
  for (std::size_t i = 0; i < digits.images.size(); ++i) {
    const Image crop = io::synth::random_crop(backgrounds, rng, kDigitSide, nullptr);
    set.images.push_back(io::synth::blend_difference(crop, digits.images[i]));
    set.labels.push_back(digits.labels[i]);
  }
  return set;
}

LabelledImages opencv_sheet_digits(const std::string& data_dir, int count) {
  const std::string path = data_dir + "/digits/opencv-digits.png";
  const Image sheet = load_image(path, /*keep_channels=*/true);
  const int columns = sheet.width / kSheetCell;
  if (columns * (sheet.height / kSheetCell) != kSheetDigits) {
    throw bad_input(path + ": expected 5000 digits of 20x20 px (a 2000x1000 sheet), not " +
                    std::to_string(sheet.width) + "x" + std::to_string(sheet.height));
  }
  const int taken = std::clamp(count, 1, kSheetDigits);
  const int margin = (kDigitSide - kSheetCell) / 2;
  LabelledImages set;
  set.source = path;
  for (int k = 0; k < taken; ++k) {
    const int cell = static_cast<int>(static_cast<std::int64_t>(k) * kSheetDigits / taken);
    Image digit(kDigitSide, kDigitSide, 1);
    const int x0 = (cell % columns) * kSheetCell;
    const int y0 = (cell / columns) * kSheetCell;
    for (int y = 0; y < kSheetCell; ++y) {
      for (int x = 0; x < kSheetCell; ++x) {
        const std::uint8_t* px = sheet.at(x0 + x, y0 + y);
        const int grey = sheet.channels >= 3 ? (px[0] + px[1] + px[2] + 1) / 3 : px[0];
        *digit.at(margin + x, margin + y) = static_cast<std::uint8_t>(grey);
      }
    }
    set.images.push_back(std::move(digit));
    set.labels.push_back(cell / (kSheetDigits / 10));
  }
  return set;
}

}  // namespace padain
}  // namespace atelier
