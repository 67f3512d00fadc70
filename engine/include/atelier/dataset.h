// atelier/dataset.h — image folders, IDX files and the synthetic two-domain sets built from real
// media.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "atelier/image.h"

namespace atelier {

using WarningSink = std::function<void(const std::string&)>;

// Image files under `dir`, recursively, sorted. Non-image files are skipped silently; an empty or
// missing folder is Error(BadInput) naming it. `dir` may also be a list file (read_image_list).
std::vector<std::string> list_image_files(const std::string& dir);

// A text file that lists pictures, one path per line, in its own order (a gallery of the studio
// that other processes read). A relative path is taken from the list's folder; blank lines and
// lines starting with '#' are skipped. Error(BadInput) naming the list when it cannot be read,
// names no picture, or has a line that is not the path of a picture file (by its extension).
std::vector<std::string> read_image_list(const std::string& list);

struct ImageFolderOptions {
  int size = 0;        // > 0: centre-crop and resize every image to size x size
  int max_images = 0;  // 0: all
  int min_images = 1;  // fewer loadable images than this is an error naming the folder
  // One process's share of the folder in a data-parallel training: the files whose index in the
  // sorted list is shard_index modulo shard_count. A file of a shard that cannot be read is then
  // an error (the ranks number the images alike), not skipped. min_images counts the folder.
  int shard_index = 0;
  int shard_count = 1;
};

struct ImageFolder {
  std::vector<Image> images;         // RGB
  std::vector<std::string> paths;    // the file of each image
  std::vector<std::string> skipped;  // files that could not be read, with the reason
  int resized = 0;                   // images whose size differed from `size`
  int total = 0;                     // image files in the folder, every shard's
};

// Loads every readable image of a folder or list file; unreadable ones are reported to `warn` (naming the file) and skipped.
ImageFolder load_image_folder(const std::string& dir, const ImageFolderOptions& options = {},
                              const WarningSink& warn = {});

// IDX (MNIST format), gzip-compressed or not: big-endian magic 0x0000 08 NN, dims, raw uint8.
struct IdxArray {
  std::vector<int> dims;  // e.g. {60000, 28, 28} or {60000}
  std::vector<std::uint8_t> data;
  std::int64_t count() const { return dims.empty() ? 0 : dims[0]; }
  std::int64_t item_size() const;  // product of dims[1..]
};
IdxArray read_idx(const std::string& path);  // Error(BadInput) naming the file on any defect

// The directory holding the shared real media: $ATELIER_DATA_DIR, else ../shared/data relative
// to the current directory or the source tree. Used by tests, benchmarks and dataset builders.
std::string default_data_dir();

// A two-domain set with known truth. Content: real photo crops (from `backgrounds`, a folder of
// photos). Domain A pastes an MNIST digit on a crop, domain B a Fashion-MNIST item. Written as
//   out/{train,test}/{A,B}/NNNNN.png      the two domains
//   out/test/truth/{background_A,background_B,a_onto_b,b_onto_a}/NNNNN.png
//   out/manifest.json                    kind, sizes, seed, sources, labels
// test/truth/a_onto_b/i is test/B/i's background with test/A/i's digit; removal truth is the
// background.
struct CompositeOptions {
  std::string out;
  int n = 2000;  // images per domain in train; test gets max(16, n / 10)
  int size = 64;
  std::string backgrounds;  // folder of photos; empty: <data>/images
  std::string data_dir;     // empty: default_data_dir()
  std::uint64_t seed = 1;
  // How digits and items stand out from the photo: "high" (bright, saturated tints), "mixed" (any
  // hue and saturation, half of them light and half dark, as people's own sets are) or "low" (a
  // tint close to the photo's own colour under it: faint attributes).
  std::string contrast = "high";
  double min_cover = 0.4;  // side of a digit or item as a fraction of the image side: drawn
  double max_cover = 0.6;  // uniformly from [min_cover, max_cover], within (0, 1]
};
struct DatasetSummary {
  std::string out;
  int train = 0;
  int test = 0;
  std::vector<std::string> folders;  // what was written, relative to out
};
DatasetSummary make_composite_dataset(const CompositeOptions& options);

// MNIST-M style digits: an MNIST digit blended with a real photo crop (|crop - digit| per channel).
//   out/{train,test}/NNNNN.png and out/{train,test}/labels.csv (file,label); out/manifest.json
struct MnistmOptions {
  std::string out;
  int n = 2000;
  int size = 32;
  std::string backgrounds;
  std::string data_dir;
  std::uint64_t seed = 1;
};
DatasetSummary make_mnistm_dataset(const MnistmOptions& options);

}  // namespace atelier
