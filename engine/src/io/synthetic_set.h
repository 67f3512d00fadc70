// Pieces shared by the synthetic dataset builders (composite two-domain set, MNIST-M):
// a portable seeded random source, IDX digit sources, random photo crops, overlays and output
// folders. Header-only because only the two builders use it.
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "atelier/dataset.h"
#include "atelier/error.h"
#include "atelier/json_text.h"
#include "atelier/remove_tree.h"
#include "io/atomic_file.h"

namespace atelier::io::synth {

// std::mt19937_64 is specified bit for bit, but the standard distributions are not; drawing
// through these helpers keeps a seed's dataset identical across standard libraries.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }  // [0, 1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Integer in [lo, hi], both included.
  int integer(int lo, int hi) {
    const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
    return lo + static_cast<int>(engine_() % span);  // bias < span / 2^64: irrelevant here
  }
  bool coin() { return (engine_() >> 63) != 0; }

 private:
  std::mt19937_64 engine_;
};

// An IDX image file with its label file (MNIST layout: {N, H, W} uint8 and {N} uint8).
struct DigitSource {
  IdxArray images;
  IdxArray labels;
  std::string images_path;
  std::string labels_path;

  int count() const { return static_cast<int>(images.count()); }
  int label(int i) const { return labels.data[static_cast<std::size_t>(i)]; }
  Image item(int i) const {  // one grey image
    Image image(images.dims[2], images.dims[1], 1);
    const auto begin = images.data.begin() + static_cast<std::ptrdiff_t>(i) * images.item_size();
    std::copy(begin, begin + images.item_size(), image.pixels.begin());
    return image;
  }
};

inline DigitSource load_digit_source(const std::string& images_path,
                                     const std::string& labels_path) {
  DigitSource source{read_idx(images_path), read_idx(labels_path), images_path, labels_path};
  if (source.images.dims.size() != 3) {
    throw bad_input(images_path + ": expected IDX images of shape {N, H, W}");
  }
  if (source.labels.dims.size() != 1) throw bad_input(labels_path + ": expected IDX labels {N}");
  if (source.labels.count() != source.images.count()) {
    throw bad_input(labels_path + ": " + std::to_string(source.labels.count()) + " labels for " +
                    std::to_string(source.images.count()) + " images in " + images_path);
  }
  return source;
}

// The train and test digit sources of an MNIST-layout folder (e.g. <data>/digits/mnist).
struct DigitSplits {
  DigitSource train;
  DigitSource test;
};
inline DigitSplits load_digit_splits(const std::string& folder) {
  return {load_digit_source(folder + "/train-images-idx3-ubyte.gz",
                            folder + "/train-labels-idx1-ubyte.gz"),
          load_digit_source(folder + "/t10k-images-idx3-ubyte.gz",
                            folder + "/t10k-labels-idx1-ubyte.gz")};
}

// Photos for backgrounds, pre-shrunk so that the smallest crop still has `size` pixels: crops
// take a quarter to all of a photo's short side.
struct Backgrounds {
  std::vector<Image> photos;
  std::vector<std::string> paths;
};
constexpr int kSmallestCropFraction = 4;

inline Backgrounds load_backgrounds(const std::string& folder, int size) {
  ImageFolder loaded = load_image_folder(folder);
  Backgrounds backgrounds;
  const int short_target = kSmallestCropFraction * size;
  for (std::size_t i = 0; i < loaded.images.size(); ++i) {
    Image& photo = loaded.images[i];
    const int short_side = std::min(photo.width, photo.height);
    if (short_side > short_target) {
      const double scale = static_cast<double>(short_target) / short_side;
      photo = resize_image(photo, std::max(1, static_cast<int>(std::lround(photo.width * scale))),
                           std::max(1, static_cast<int>(std::lround(photo.height * scale))));
    }
    backgrounds.photos.push_back(std::move(photo));
    backgrounds.paths.push_back(loaded.paths[i]);
  }
  return backgrounds;
}

// A square crop at a random scale and place of a random photo, maybe mirrored, as size x size.
inline Image random_crop(const Backgrounds& backgrounds, Rng& rng, int size, int* photo_index) {
  const int index = rng.integer(0, static_cast<int>(backgrounds.photos.size()) - 1);
  const Image& photo = backgrounds.photos[static_cast<std::size_t>(index)];
  const int short_side = std::min(photo.width, photo.height);
  const int smallest = std::max(1, std::min(short_side, std::max(size, short_side / 4)));
  const int side = rng.integer(smallest, short_side);
  const int x0 = rng.integer(0, photo.width - side);
  const int y0 = rng.integer(0, photo.height - side);
  const bool mirror = rng.coin();
  Image crop(side, side, 3);
  for (int y = 0; y < side; ++y) {
    const std::uint8_t* src = photo.at(x0, y0 + y);
    std::uint8_t* dst = crop.row(y);
    if (!mirror) {
      std::copy_n(src, crop.stride(), dst);
      continue;
    }
    for (int x = 0; x < side; ++x) std::copy_n(src + 3 * (side - 1 - x), 3, dst + 3 * x);
  }
  if (photo_index) *photo_index = index;
  return resize_image(crop, size, size);
}

// MNIST-M's blend: out = |crop - digit| per channel, so the strokes (white digit pixels) show as
// the photo's colours inverted. `digit` is grey, of the crop's size.
inline Image blend_difference(const Image& crop, const Image& digit) {
  Image out(crop.width, crop.height, 3);
  for (std::size_t i = 0; i < digit.pixels.size(); ++i) {
    for (int c = 0; c < 3; ++c) {
      out.pixels[3 * i + c] =
          static_cast<std::uint8_t>(std::abs(int{crop.pixels[3 * i + c]} - int{digit.pixels[i]}));
    }
  }
  return out;
}

// A coloured patch with its own alpha, pasted at (x, y) by "out = bg (1 - a) + colour a".
struct Overlay {
  int x = 0;
  int y = 0;
  Image colour;                     // side x side RGB
  std::vector<std::uint8_t> alpha;  // side x side, 0..255
  int side() const { return colour.width; }
};

inline Image paste(const Image& background, const Overlay& overlay) {
  Image out = background;
  const int side = overlay.side();
  for (int y = 0; y < side; ++y) {
    for (int x = 0; x < side; ++x) {
      const int a = overlay.alpha[static_cast<std::size_t>(y) * side + x];
      if (a == 0) continue;
      std::uint8_t* dst = out.at(overlay.x + x, overlay.y + y);
      const std::uint8_t* src = overlay.colour.at(x, y);
      for (int c = 0; c < 3; ++c)
        dst[c] = static_cast<std::uint8_t>((dst[c] * (255 - a) + src[c] * a + 127) / 255);
    }
  }
  return out;
}

// A vivid random colour: hue anywhere, saturation and value in the given ranges.
inline std::array<std::uint8_t, 3> random_colour(Rng& rng, double min_saturation,
                                                 double max_saturation, double min_value,
                                                 double max_value = 1.0) {
  const double hue = rng.uniform(0.0, 6.0);
  const double saturation = rng.uniform(min_saturation, max_saturation);
  const double value = rng.uniform(min_value, max_value);
  const int sector = static_cast<int>(hue);
  const double f = hue - sector;
  const double p = value * (1 - saturation);
  const double q = value * (1 - saturation * f);
  const double t = value * (1 - saturation * (1 - f));
  const std::array<std::array<double, 3>, 6> rgb = {
      {{value, t, p}, {q, value, p}, {p, value, t}, {p, q, value}, {t, p, value}, {value, p, q}}};
  std::array<std::uint8_t, 3> colour{};
  for (int c = 0; c < 3; ++c) {
    colour[c] = static_cast<std::uint8_t>(std::lround(255 * rgb[std::min(sector, 5)][c]));
  }
  return colour;
}

inline std::string index_file(int i) {
  char name[32];
  std::snprintf(name, sizeof name, "%05d.png", i);
  return name;
}

inline void write_text(const std::string& path, const std::string& text) {
  write_file_atomically(path, std::vector<std::uint8_t>(text.begin(), text.end()));
}

// JSON laid out for people and diff tools: objects indented, arrays of objects one compact
// element per line (a label record per line), other arrays inline.
inline void append_readable_json(const nlohmann::json& value, int indent, std::string& out) {
  const std::string inner(static_cast<std::size_t>(indent) + 2, ' ');
  if (value.is_object() && !value.empty()) {
    out += "{\n";
    bool first = true;
    for (const auto& [key, item] : value.items()) {
      out += (first ? "" : ",\n") + inner + json_text(nlohmann::json(key)) + ": ";
      append_readable_json(item, indent + 2, out);
      first = false;
    }
    out += "\n" + std::string(static_cast<std::size_t>(indent), ' ') + "}";
  } else if (value.is_array() && !value.empty() && value.front().is_structured()) {
    out += "[\n";
    for (std::size_t i = 0; i < value.size(); ++i) {
      out += (i ? ",\n" : "") + inner + json_text(value[i]);
    }
    out += "\n" + std::string(static_cast<std::size_t>(indent), ' ') + "]";
  } else {
    out += json_text(value);
  }
}

inline void write_manifest(const std::string& out, const nlohmann::json& manifest) {
  std::string text;
  append_readable_json(manifest, 0, text);
  write_text(out + "/manifest.json", text + "\n");
}

// True when `out` may receive a dataset: missing, empty, or holding an earlier dataset (one with
// an Atelier dataset manifest). A folder with anyone else's files is refused (Error(Usage)) rather
// than mixed into; builders call this before reading their sources so that the refusal is
// immediate.
inline bool output_holds_dataset(const std::string& out) {
  namespace fs = std::filesystem;
  if (out.empty()) throw usage_error("dataset: no output folder given");
  std::error_code ec;
  if (!fs::exists(out, ec)) return false;
  if (!fs::is_directory(out, ec)) throw usage_error(out + ": exists and is not a folder");
  if (fs::is_empty(out, ec)) return false;
  std::ifstream in(fs::path(out) / "manifest.json");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const nlohmann::json earlier = try_parse_json_text(text).value_or(nlohmann::json());
  const bool ours = earlier.is_object() && earlier.contains("kind") &&
                    (earlier["kind"] == "composite" || earlier["kind"] == "mnistm");
  if (!ours) {
    throw usage_error(out +
                      ": folder is not empty and holds no dataset manifest; "
                      "choose a new or empty folder");
  }
  return true;
}

// Makes `out` ready for a fresh dataset: creates its folders, after clearing the splits and the
// manifest of an earlier dataset there.
inline void prepare_output(const std::string& out, const std::vector<std::string>& folders) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (output_holds_dataset(out)) {
    for (const char* old : {"train", "test", "manifest.json"}) {
      if (!remove_tree((fs::path(out) / old).string()))
        throw io_error(out + ": cannot clear the earlier dataset (" + std::strerror(errno) + ")");
    }
  }
  for (const std::string& folder : folders) {
    fs::create_directories(fs::path(out) / folder, ec);
    if (ec) throw io_error(out + "/" + folder + ": cannot create (" + ec.message() + ")");
  }
}

inline void check_sizes(const char* kind, int n, int size) {
  if (n < 1 || n > 1'000'000) {
    throw usage_error(std::string(kind) + ": n must be 1 to 1000000, got " + std::to_string(n));
  }
  if (size < 8 || size > 1024) {
    throw usage_error(std::string(kind) + ": size must be 8 to 1024, got " + std::to_string(size));
  }
}

inline int test_count(int n) {
  return std::max(16, n / 10);
}

}  // namespace atelier::io::synth
