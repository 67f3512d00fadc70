#include "methods/oneshot/data.h"

#include <torch/nn/functional/vision.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "atelier/error.h"
#include "core/log.h"

namespace atelier {
namespace oneshot {

namespace F = torch::nn::functional;

Image fit_image(const Image& image, int size) {
  if (image.empty()) throw bad_input("oneshot: an input image is empty");
  const Image rgb = image.channels == 3 ? image : to_rgb(image);
  return rgb.width == size && rgb.height == size ? rgb : center_crop_square(rgb, size);
}

AugmentRange augment_range(const OneshotParams& p) {
  return {p.max_rotation, p.max_zoom, p.max_shift, p.augment_flip};
}

torch::Tensor augmented_copies(const torch::Tensor& image, int n, const AugmentRange& range) {
  const auto options = image.options();
  auto uniform = [&](double limit) { return (torch::rand({n}, options) * 2 - 1) * limit; };
  const torch::Tensor angle = uniform(range.max_rotation_deg * M_PI / 180.0);
  const torch::Tensor zoom = 1 + uniform(range.max_zoom);
  // affine_grid's coordinates span [-1, 1]: a shift of a fraction f of the side is 2 f.
  const torch::Tensor tx = uniform(2 * range.max_shift), ty = uniform(2 * range.max_shift);
  torch::Tensor mirror = torch::ones({n}, options);
  if (range.flip) mirror = torch::where(torch::rand({n}, options) < 0.5, -mirror, mirror);
  const torch::Tensor cos = torch::cos(angle) / zoom, sin = torch::sin(angle) / zoom;
  const torch::Tensor theta = torch::stack(
      {torch::stack({cos * mirror, -sin, tx}, 1), torch::stack({sin * mirror, cos, ty}, 1)}, 1);
  const torch::Tensor batch = image.expand({n, -1, -1, -1});
  const torch::Tensor grid = F::affine_grid(theta, batch.sizes(), false);
  return F::grid_sample(batch, grid,
                        F::GridSampleFuncOptions()
                            .mode(torch::kBilinear)
                            .padding_mode(torch::kBorder)
                            .align_corners(false));
}

}  // namespace oneshot

std::vector<Image> load_oneshot_b_folder(const std::string& dir, int size,
                                         const WarningSink& warn) {
  int total = 0;
  return load_oneshot_b_shard(dir, size, 0, 1, total, warn);
}

std::vector<Image> load_oneshot_b_shard(const std::string& dir, int size, int rank, int world_size,
                                        int& total, const WarningSink& warn) {
  ImageFolderOptions options;
  options.min_images = std::max(2, world_size);  // every rank needs an image of its own
  options.shard_index = rank;
  options.shard_count = world_size;
  ImageFolder folder = load_image_folder(dir, options, warn);
  total = folder.total;
  const Image& first = folder.images.front();
  for (std::size_t i = 1; i < folder.images.size(); ++i) {
    const Image& image = folder.images[i];
    if (image.width != first.width || image.height != first.height) {
      throw bad_input(dir + ": images of mixed sizes (" + folder.paths.front() + " is " +
                      std::to_string(first.width) + "x" + std::to_string(first.height) + " px, " +
                      folder.paths[i] + " is " + std::to_string(image.width) + "x" +
                      std::to_string(image.height) + " px); a B folder holds one size");
    }
  }
  if (first.width != size || first.height != size) {
    const std::string message = dir + ": " + std::to_string(folder.total) + " images of " +
                                std::to_string(first.width) + "x" + std::to_string(first.height) +
                                " px centre-cropped and resized to " + std::to_string(size) + "x" +
                                std::to_string(size);
    if (warn)
      warn(message);
    else
      log::info("{}", message);
    for (Image& image : folder.images) image = oneshot::fit_image(image, size);
  }
  return std::move(folder.images);
}

}  // namespace atelier
