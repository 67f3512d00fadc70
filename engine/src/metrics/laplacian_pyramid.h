// Laplacian pyramids with the 5-tap binomial filter [1 4 6 4 1] / 16 (Burt and Adelson).
#pragma once

#include <torch/types.h>

#include <vector>

namespace atelier::metrics {

// How many levels an image with this short side gets: halving (rounding up) while the next level's
// short side stays >= min_size; `max_levels` > 0 caps the count. At least 1.
int pyramid_level_count(int short_side, int min_size, int max_levels);

// Blur and halve (rounding up) N x C x H x W; sides must be at least 3.
torch::Tensor pyramid_down(const torch::Tensor& x);
// Doubles by zero insertion and blur, cropped to height x width.
torch::Tensor pyramid_up(const torch::Tensor& x, std::int64_t height, std::int64_t width);

// `levels` band-pass images, finest first; the last one is the low-pass residual, so that
// upsampling and summing them gives back `x`.
std::vector<torch::Tensor> laplacian_pyramid(const torch::Tensor& x, int levels);

}  // namespace atelier::metrics
