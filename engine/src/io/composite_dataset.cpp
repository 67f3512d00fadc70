// The composite two-domain set: real photo crops as shared content, an MNIST digit (domain A) or a
// Fashion-MNIST item (domain B) pasted on top. Because every image is built from known parts,
// the test split carries the true background and the true transfer results pixel for pixel.
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "atelier/dataset.h"
#include "io/synthetic_set.h"

namespace atelier {
namespace {

using io::synth::Overlay;
using io::synth::Rng;
using nlohmann::json;

const std::vector<std::string> kFolders = {"train/A",
                                           "train/B",
                                           "test/A",
                                           "test/B",
                                           "test/truth/background_A",
                                           "test/truth/background_B",
                                           "test/truth/a_onto_b",
                                           "test/truth/b_onto_a"};

const std::vector<std::string> kItemClasses = {"T-shirt/top", "Trouser",   "Pullover", "Dress",
                                               "Coat",        "Sandal",    "Shirt",    "Sneaker",
                                               "Bag",         "Ankle boot"};

enum class Contrast { High, Mixed, Low };

Contrast parse_contrast(const std::string& name) {
  if (name == "high") return Contrast::High;
  if (name == "mixed") return Contrast::Mixed;
  if (name == "low") return Contrast::Low;
  throw usage_error("composite dataset: contrast '" + name + "' is not high, mixed or low");
}

// How one dataset draws its objects (from CompositeOptions).
struct Drawing {
  Contrast contrast = Contrast::High;
  double min_cover = 0.4;
  double max_cover = 0.6;
};

// A domain's high-contrast tints (digits are brighter and more saturated than items).
struct VividTints {
  double min_saturation, max_saturation, min_value;
};
constexpr VividTints kDigitTints{0.55, 1.0, 0.8};
constexpr VividTints kItemTints{0.3, 0.9, 0.85};

// The mean colour of `background` under the box at (x, y) of side `side`.
std::array<double, 3> mean_under(const Image& background, int x, int y, int side) {
  std::array<double, 3> sum{};
  for (int j = 0; j < side; ++j)
    for (int i = 0; i < side; ++i)
      for (int c = 0; c < 3; ++c) sum[c] += background.at(x + i, y + j)[c];
  for (double& s : sum) s /= static_cast<double>(side) * side;
  return sum;
}

// A tint that stands out from the photo under the box as much as `contrast` asks: a vivid colour;
// any colour, light or dark by a coin; or the photo's own mean colour moved 25 to 50 levels
// towards the side that has room.
std::array<std::uint8_t, 3> choose_tint(Contrast contrast, const VividTints& vivid, Rng& rng,
                                        const Image& background, int x, int y, int side) {
  switch (contrast) {
    case Contrast::High:
      return io::synth::random_colour(rng, vivid.min_saturation, vivid.max_saturation,
                                      vivid.min_value);
    case Contrast::Mixed:
      return rng.coin() ? io::synth::random_colour(rng, 0.0, 1.0, 0.7, 1.0)
                        : io::synth::random_colour(rng, 0.0, 1.0, 0.08, 0.35);
    case Contrast::Low: {
      const std::array<double, 3> mean = mean_under(background, x, y, side);
      const double luma = 0.299 * mean[0] + 0.587 * mean[1] + 0.114 * mean[2];
      const double shift = (luma < 128 ? 1 : -1) * rng.uniform(25.0, 50.0);
      std::array<std::uint8_t, 3> tint{};
      for (int c = 0; c < 3; ++c)
        tint[c] = static_cast<std::uint8_t>(std::clamp(std::lround(mean[c] + shift), 0L, 255L));
      return tint;
    }
  }
  return {};
}

// One pasted object: where it came from and how it was drawn.
struct Placed {
  int source = 0;  // index in the IDX file
  int label = 0;
  std::array<std::uint8_t, 3> tint{};
  Overlay overlay;
};

Image scaled_source(const io::synth::DigitSource& source, int index, int side) {
  return resize_image(source.item(index), side, side);
}

void place_randomly(Rng& rng, int size, Placed& placed, int side) {
  placed.overlay.x = rng.integer(0, size - side);
  placed.overlay.y = rng.integer(0, size - side);
}

int random_side(Rng& rng, int size, const Drawing& drawing) {
  const double cover = rng.uniform(drawing.min_cover, drawing.max_cover);
  return std::clamp(static_cast<int>(std::lround(size * cover)), 1, size);
}

// Domain A: the digit's intensity is its alpha, drawn in one flat colour.
Placed random_digit(const io::synth::DigitSource& digits, Rng& rng, const Image& background,
                    const Drawing& drawing) {
  const int size = background.width;
  Placed placed;
  placed.source = rng.integer(0, digits.count() - 1);
  placed.label = digits.label(placed.source);
  const int side = random_side(rng, size, drawing);
  place_randomly(rng, size, placed, side);
  placed.tint = choose_tint(drawing.contrast, kDigitTints, rng, background, placed.overlay.x,
                            placed.overlay.y, side);
  const Image grey = scaled_source(digits, placed.source, side);
  placed.overlay.alpha = grey.pixels;
  placed.overlay.colour = Image(side, side, 3);
  for (std::size_t i = 0; i < grey.pixels.size(); ++i) {
    std::copy(placed.tint.begin(), placed.tint.end(), placed.overlay.colour.pixels.begin() + 3 * i);
  }
  return placed;
}

// Domain B: the item is pasted the same way, but keeps its own grey texture, tinted; its alpha
// saturates early so the garment reads as a solid object rather than a glow. Faint items keep a
// faint texture (their darkest shade 200 of 255 of the tint, not 90).
Placed random_item(const io::synth::DigitSource& items, Rng& rng, const Image& background,
                   const Drawing& drawing) {
  const int size = background.width;
  Placed placed;
  placed.source = rng.integer(0, items.count() - 1);
  placed.label = items.label(placed.source);
  const int side = random_side(rng, size, drawing);
  place_randomly(rng, size, placed, side);
  placed.tint = choose_tint(drawing.contrast, kItemTints, rng, background, placed.overlay.x,
                            placed.overlay.y, side);
  const int darkest = drawing.contrast == Contrast::Low ? 200 : 90;
  const Image grey = scaled_source(items, placed.source, side);
  placed.overlay.alpha.resize(grey.pixels.size());
  placed.overlay.colour = Image(side, side, 3);
  for (std::size_t i = 0; i < grey.pixels.size(); ++i) {
    const int g = grey.pixels[i];
    placed.overlay.alpha[i] = static_cast<std::uint8_t>(std::min(255, 2 * g));
    const int shade = darkest + ((255 - darkest) * g + 127) / 255;  // texture: darkest..255
    for (int c = 0; c < 3; ++c) {
      placed.overlay.colour.pixels[3 * i + c] =
          static_cast<std::uint8_t>((placed.tint[c] * shade + 127) / 255);
    }
  }
  return placed;
}

json describe(const std::string& file, const Placed& placed, int photo) {
  const Overlay& o = placed.overlay;
  return {{"file", file},
          {"label", placed.label},
          {"source", placed.source},
          {"photo", photo},
          {"box", {o.x, o.y, o.side(), o.side()}},
          {"tint", {placed.tint[0], placed.tint[1], placed.tint[2]}}};
}

struct Sources {
  io::synth::Backgrounds backgrounds;
  io::synth::DigitSplits digits;
  io::synth::DigitSplits items;
};

// Writes one split; the test split also writes the four truth folders.
json write_split(const CompositeOptions& options, const Drawing& drawing, Sources& sources,
                 Rng& rng, bool test, int count) {
  const std::string split = options.out + (test ? "/test" : "/train");
  const io::synth::DigitSource& digits = test ? sources.digits.test : sources.digits.train;
  const io::synth::DigitSource& items = test ? sources.items.test : sources.items.train;
  json labels_a = json::array();
  json labels_b = json::array();
  for (int i = 0; i < count; ++i) {
    const std::string file = io::synth::index_file(i);
    int photo_a = 0;
    int photo_b = 0;
    const Image background_a =
        io::synth::random_crop(sources.backgrounds, rng, options.size, &photo_a);
    const Placed digit = random_digit(digits, rng, background_a, drawing);
    const Image background_b =
        io::synth::random_crop(sources.backgrounds, rng, options.size, &photo_b);
    const Placed item = random_item(items, rng, background_b, drawing);

    save_image(io::synth::paste(background_a, digit.overlay), split + "/A/" + file);
    save_image(io::synth::paste(background_b, item.overlay), split + "/B/" + file);
    labels_a.push_back(describe(file, digit, photo_a));
    labels_b.push_back(describe(file, item, photo_b));
    if (test) {
      const std::string truth = split + "/truth/";
      save_image(background_a, truth + "background_A/" + file);
      save_image(background_b, truth + "background_B/" + file);
      save_image(io::synth::paste(background_b, digit.overlay), truth + "a_onto_b/" + file);
      save_image(io::synth::paste(background_a, item.overlay), truth + "b_onto_a/" + file);
    }
  }
  return {{"A", labels_a}, {"B", labels_b}};
}

json source_files(const io::synth::DigitSplits& splits) {
  return {{"train", {{"images", splits.train.images_path}, {"labels", splits.train.labels_path}}},
          {"test", {{"images", splits.test.images_path}, {"labels", splits.test.labels_path}}}};
}

}  // namespace

DatasetSummary make_composite_dataset(const CompositeOptions& options) {
  io::synth::check_sizes("composite dataset", options.n, options.size);
  const Drawing drawing{parse_contrast(options.contrast), options.min_cover, options.max_cover};
  if (!(drawing.min_cover > 0 && drawing.min_cover <= drawing.max_cover && drawing.max_cover <= 1))
    throw usage_error("composite dataset: the item size must lie in (0, 1] with min <= max, got " +
                      std::to_string(drawing.min_cover) + " to " +
                      std::to_string(drawing.max_cover));
  io::synth::output_holds_dataset(options.out);  // refuse a foreign folder early
  const std::string data = options.data_dir.empty() ? default_data_dir() : options.data_dir;
  const std::string photos = options.backgrounds.empty() ? data + "/images" : options.backgrounds;

  // Read every source before touching the output, so a missing input leaves nothing behind.
  Sources sources{io::synth::load_backgrounds(photos, options.size),
                  io::synth::load_digit_splits(data + "/digits/mnist"),
                  io::synth::load_digit_splits(data + "/digits/fashion-mnist")};
  io::synth::prepare_output(options.out, kFolders);

  DatasetSummary summary{options.out, options.n, io::synth::test_count(options.n), kFolders};
  Rng rng(options.seed);
  json train = write_split(options, drawing, sources, rng, false, summary.train);
  json test = write_split(options, drawing, sources, rng, true, summary.test);

  json digit_classes = json::array();
  for (int d = 0; d < 10; ++d) digit_classes.push_back(std::to_string(d));
  const json manifest = {
      {"kind", "composite"},
      {"version", 1},
      {"n", options.n},
      {"size", options.size},
      {"seed", options.seed},
      {"contrast", options.contrast},
      {"cover", {options.min_cover, options.max_cover}},
      {"train", summary.train},
      {"test", summary.test},
      {"domains",
       {{"A", "MNIST digit, intensity as alpha, one flat tint"},
        {"B", "Fashion-MNIST item, its grey texture tinted"}}},
      {"classes", {{"A", digit_classes}, {"B", kItemClasses}}},
      {"truth",
       {{"background_A", "test/A without its digit"},
        {"background_B", "test/B without its item"},
        {"a_onto_b", "test/A's digit (same place and pixels) on test/B's background"},
        {"b_onto_a", "test/B's item (same place and pixels) on test/A's background"}}},
      {"sources",
       {{"backgrounds", sources.backgrounds.paths},
        {"A", source_files(sources.digits)},
        {"B", source_files(sources.items)}}},
      {"labels", {{"train", train}, {"test", test}}}};
  io::synth::write_manifest(options.out, manifest);
  spdlog::info("composite dataset: {} train and {} test images per domain at {} px in {}",
               summary.train, summary.test, options.size, options.out);
  return summary;
}

}  // namespace atelier
