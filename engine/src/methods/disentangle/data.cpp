#include "methods/disentangle/data.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <string>

#include "atelier/error.h"
#include "core/log.h"

namespace atelier {
namespace disentangle {

Image fit_image(const Image& image, int size, bool* resized) {
  if (image.empty()) throw bad_input("disentangle: an input image is empty");
  const Image rgb = image.channels == 3 ? image : to_rgb(image);
  const bool same = rgb.width == size && rgb.height == size;
  if (resized) *resized = !same;
  return same ? rgb : center_crop_square(rgb, size);
}

torch::Tensor images_to_bytes(const std::vector<Image>& images, int size, int* resized) {
  torch::Tensor out =
      torch::empty({static_cast<std::int64_t>(images.size()), 3, size, size}, torch::kUInt8);
  int changed = 0;
  for (std::size_t i = 0; i < images.size(); ++i) {
    bool r = false;
    const Image fitted = fit_image(images[i], size, &r);
    changed += r ? 1 : 0;
    const torch::Tensor hwc = torch::from_blob(const_cast<std::uint8_t*>(fitted.pixels.data()),
                                               {size, size, 3}, torch::kUInt8);
    out[static_cast<std::int64_t>(i)].copy_(hwc.permute({2, 0, 1}));
  }
  if (resized) *resized = changed;
  return out;
}

DomainSplit split_domain(const std::vector<Image>& images, int size, double test_fraction,
                         std::uint64_t seed, const std::string& name, const ShardOf& shard) {
  const int n = static_cast<int>(shard.total > 0 ? shard.total : std::int64_t(images.size()));
  if (n < 2) {
    throw bad_input("disentangle: set " + name + " has " + std::to_string(n) +
                    " image(s); training needs at least 2");
  }
  int held = static_cast<int>(std::lround(test_fraction * n));
  if (test_fraction > 0 && n >= 4) held = std::max(held, 1);
  held = std::min(held, n - 2);
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  // File f of the whole set is image f / world_size of rank f % world_size.
  const int world = shard.world_size;
  auto mine = [&](int file) { return file % world == shard.rank; };
  auto image_of = [&](int file) -> const Image& { return images.at(file / world); };

  std::vector<Image> train, test;
  std::vector<int> test_rows;
  for (int i = 0; i < held; ++i) {
    if (!mine(order[i])) continue;
    test.push_back(image_of(order[i]));
    test_rows.push_back(i);
  }
  std::vector<std::int64_t> owner, row, held_by(world, 0);
  for (int i = held; i < n; ++i) {
    const int rank = order[i] % world;
    owner.push_back(rank);
    row.push_back(held_by[rank]++);
    if (mine(order[i])) train.push_back(image_of(order[i]));
  }
  int resized = 0, resized_test = 0;
  DomainSplit split;
  split.train = images_to_bytes(train, size, &resized);
  const torch::Tensor own_test = images_to_bytes(test, size, &resized_test);
  split.test = torch::zeros({held, 3, size, size}, torch::kUInt8);
  if (!test_rows.empty())
    split.test.index_copy_(0, torch::tensor(test_rows, torch::kLong), own_test);
  split.owner = torch::tensor(owner, torch::kLong);
  split.row = torch::tensor(row, torch::kLong);
  if (resized + resized_test > 0) {
    log::info("disentangle: {} of {} images of set {} were centre-cropped and resized to {}x{}",
              resized + resized_test, train.size() + test.size(), name, size, size);
  }
  return split;
}

torch::Tensor random_boxes(std::int64_t n, int size, double p, const torch::Device& device) {
  torch::Tensor boxes = torch::zeros({n, 1, size, size});
  if (p <= 0) return boxes.to(device);
  const torch::Tensor draw = torch::rand({n, 5});
  auto a = draw.accessor<float, 2>();
  for (std::int64_t i = 0; i < n; ++i) {
    if (a[i][0] >= p) continue;
    const int w = size / 4 + static_cast<int>(a[i][1] * (size / 4));
    const int h = size / 4 + static_cast<int>(a[i][2] * (size / 4));
    const int x = static_cast<int>(a[i][3] * (size - w + 1));
    const int y = static_cast<int>(a[i][4] * (size - h + 1));
    boxes[i].narrow(1, y, h).narrow(2, x, w).fill_(1.0);
  }
  return boxes.to(device);
}

}  // namespace disentangle

TransferImages load_transfer_images(const std::string& dir_a, const std::string& dir_b, int size,
                                    const WarningSink& warn, int rank, int world_size) {
  TransferImages images;
  for (int d = 0; d < 2; ++d) {
    const std::string& dir = d == 0 ? dir_a : dir_b;
    ImageFolderOptions options;
    options.size = size;
    options.min_images = 2;
    options.shard_index = rank;
    options.shard_count = world_size;
    ImageFolder folder = load_image_folder(dir, options, warn);
    if (world_size > 1) (d == 0 ? images.a_total : images.b_total) = folder.total;
    if (folder.resized > 0) {
      const std::string message = dir + ": " + std::to_string(folder.resized) + " of " +
                                  std::to_string(folder.images.size()) +
                                  " images were centre-cropped and resized to " +
                                  std::to_string(size) + "x" + std::to_string(size);
      if (warn)
        warn(message);
      else
        log::warn("{}", message);
    }
    (d == 0 ? images.a : images.b) = std::move(folder.images);
  }
  return images;
}

}  // namespace atelier
