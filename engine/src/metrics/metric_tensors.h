// Small shared helpers of the metrics: images as float tensors, luminance, argument checks.
#pragma once

#include <torch/types.h>

#include <string>
#include <vector>

#include "atelier/image.h"
#include "atelier/video.h"

namespace atelier::metrics {

// 1 x 3 x H x W float in [0, 1] on the CPU.
torch::Tensor unit_rgb(const Image& image);
// N x 3 x H x W float in [0, 1] from images of one size.
torch::Tensor unit_rgb(const std::vector<Image>& images);

// BT.601 luma of N x 3 x H x W, as N x 1 x H x W (same scale as the input).
torch::Tensor luminance(const torch::Tensor& rgb);

// Error(BadInput) "<what>: empty image" / "<what>: <w>x<h> differs from <w>x<h>".
void require_nonempty(const Image& image, const std::string& what);
void require_nonempty(const Video& video, const std::string& what);
void require_same_size(const Image& a, const Image& b, const std::string& what);

}  // namespace atelier::metrics
