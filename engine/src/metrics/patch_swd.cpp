// Multi-scale patch SWD for images, image sets and videos (progressive GANs' metric, Karras et
// al.).
#include <torch/torch.h>

#include <algorithm>
#include <string>

#include "atelier/error.h"
#include "atelier/metrics.h"
#include "core/guard.h"
#include "metrics/laplacian_pyramid.h"
#include "metrics/metric_tensors.h"
#include "metrics/sliced_wasserstein.h"

namespace atelier {
namespace {

// One side of the comparison: each item (an image, or a video's frames as a batch) as its
// Laplacian pyramid, finest level first.
using Pyramids = std::vector<std::vector<torch::Tensor>>;

constexpr std::uint64_t kDirectionsTag = 0xD1EC7105ull;

void check_options(const SwdOptions& options, const std::string& what) {
  if (options.patch_size < 1 || options.directions < 1 || options.max_patches < 1)
    throw usage_error(what + ": patch_size, directions and max_patches must be positive");
}

int level_floor(const SwdOptions& options) {
  return std::max(options.min_level_size, options.patch_size);
}

void check_fits_patch(int width, int height, const SwdOptions& options, const std::string& what) {
  if (std::min(width, height) < options.patch_size)
    throw bad_input(what + ": " + std::to_string(width) + "x" + std::to_string(height) +
                    " is smaller than a " + std::to_string(options.patch_size) + " px patch");
}

// The normalised patch pool of one side at one level.
torch::Tensor level_patches(const Pyramids& side, int level, int depth, const SwdOptions& options) {
  const auto items = static_cast<std::int64_t>(side.size());
  const std::int64_t per_item = (options.max_patches + items - 1) / items;
  std::vector<torch::Tensor> pool;
  for (std::int64_t i = 0; i < items; ++i)
    pool.push_back(metrics::sample_patches(side[i][level], depth, options.patch_size, per_item,
                                           metrics::derive_seed(options.seed, level, i)));
  auto patches = pool.size() == 1 ? pool.front() : torch::cat(pool);
  return metrics::normalize_patch_channels(patches).flatten(1);
}

SwdResult compare_pyramids(const Pyramids& a, const Pyramids& b, int levels, int depth,
                           const SwdOptions& options) {
  SwdResult result;
  for (int level = 0; level < levels; ++level) {
    const auto distance = metrics::sliced_wasserstein(
        level_patches(a, level, depth, options), level_patches(b, level, depth, options),
        options.directions, metrics::derive_seed(options.seed, level, kDirectionsTag));
    const auto& first = a.front()[level];
    result.levels.push_back({static_cast<int>(first.size(3)), static_cast<int>(first.size(2)),
                             static_cast<int>(distance.compared), distance.distance});
    result.mean += distance.distance / levels;
  }
  return result;
}

}  // namespace

SwdResult patch_swd(const std::vector<Image>& a, const std::vector<Image>& b,
                    const SwdOptions& options) {
  const std::string what = "patch SWD";
  check_options(options, what);
  if (a.empty() || b.empty()) throw bad_input(what + ": an image set is empty");
  int levels = options.max_levels > 0 ? options.max_levels : 1 << 20;
  for (const auto* set : {&a, &b}) {
    for (const Image& image : *set) {
      metrics::require_nonempty(image, what);
      check_fits_patch(image.width, image.height, options, what);
      levels =
          std::min(levels, metrics::pyramid_level_count(std::min(image.width, image.height),
                                                        level_floor(options), options.max_levels));
    }
  }
  return guarded("computing " + what, [&] {
    torch::NoGradGuard no_grad;
    auto pyramids = [&](const std::vector<Image>& images) {
      Pyramids side;
      for (const Image& image : images)
        side.push_back(metrics::laplacian_pyramid(metrics::unit_rgb(image), levels));
      return side;
    };
    return compare_pyramids(pyramids(a), pyramids(b), levels, /*depth=*/1, options);
  });
}

SwdResult patch_swd(const Image& a, const Image& b, const SwdOptions& options) {
  return patch_swd(std::vector<Image>{a}, std::vector<Image>{b}, options);
}

SwdResult video_patch_swd(const Video& a, const Video& b, const VideoSwdOptions& options) {
  const std::string what = "video patch SWD";
  const SwdOptions& spatial = options.spatial;
  check_options(spatial, what);
  if (options.frames < 1) throw usage_error(what + ": frames must be positive");
  metrics::require_nonempty(a, what + " (first video)");
  metrics::require_nonempty(b, what + " (second video)");
  check_fits_patch(a.width(), a.height(), spatial, what);
  check_fits_patch(b.width(), b.height(), spatial, what);
  const int levels =
      std::min(metrics::pyramid_level_count(std::min(a.width(), a.height()), level_floor(spatial),
                                            spatial.max_levels),
               metrics::pyramid_level_count(std::min(b.width(), b.height()), level_floor(spatial),
                                            spatial.max_levels));
  const int depth = std::min(
      {options.frames, static_cast<int>(a.frames.size()), static_cast<int>(b.frames.size())});
  return guarded("computing " + what, [&] {
    torch::NoGradGuard no_grad;
    const Pyramids side_a{metrics::laplacian_pyramid(metrics::unit_rgb(a.frames), levels)};
    const Pyramids side_b{metrics::laplacian_pyramid(metrics::unit_rgb(b.frames), levels)};
    return compare_pyramids(side_a, side_b, levels, depth, spatial);
  });
}

}  // namespace atelier
