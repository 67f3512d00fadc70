// Image pyramids for the multi-scale single-image methods (singan, analogy).
//
// Scales are listed coarsest first. The finest scale is the image itself, shrunk so that its longer
// side is at most max_size (never enlarged); the coarsest has its shorter side at min_size. The
// aspect ratio is kept at every scale.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <vector>

#include "core/progress_clock.h"

namespace atelier {

struct PyramidSpec {
  int min_size = 25;           // shorter side of the coarsest scale
  int max_size = 250;          // longer side of the finest scale (upper bound)
  double scale_factor = 0.75;  // wanted ratio between neighbouring scales (used when scales == 0)
  int scales = 0;       // > 0: exactly this many scales (ConSinGAN style); 0: from the factor
  bool uneven = false;  // with scales > 0: more scales at low resolution (ConSinGAN spacing)
};

struct ScaleSize {
  int width = 0;
  int height = 0;
  bool operator==(const ScaleSize& o) const { return width == o.width && height == o.height; }
};

// The size of the finest scale for an image of width x height under `spec` (only shrinks).
ScaleSize finest_size(int width, int height, const PyramidSpec& spec);

// Sizes of all scales, coarsest first, for an image of width x height. Error(BadInput) when the
// image's shorter side (after fitting into max_size) is below min_size.
std::vector<ScaleSize> pyramid_sizes(int width, int height, const PyramidSpec& spec);

// Resizes an N x C x H x W tensor: antialiased bicubic when shrinking, bilinear when growing.
torch::Tensor resize_tensor(const torch::Tensor& image, int width, int height);

// The image (N x C x H x W) resized to every size of `sizes`, coarsest first.
std::vector<torch::Tensor> build_pyramid(const torch::Tensor& image,
                                         const std::vector<ScaleSize>& sizes);

// Sizes of a pyramid retargeted to another finest size: every scale scaled by the same ratios.
std::vector<ScaleSize> retarget_sizes(const std::vector<ScaleSize>& sizes, int width, int height);

// The progress stages of a coarse-to-fine training, one per scale: `iterations` steps each,
// costing the pixels of the `train_depth` newest scales plus a fixed per-operation overhead.
std::vector<ProgressClock::Stage> pyramid_training_stages(const std::vector<ScaleSize>& sizes,
                                                          int train_depth,
                                                          std::int64_t iterations);

}  // namespace atelier
