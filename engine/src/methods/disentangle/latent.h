// Plain LatentCode values <-> 1 x C x H x W tensors, and images in and out of a loaded model.
#pragma once

#include <torch/types.h>

#include <string>

#include "atelier/disentangle.h"
#include "methods/disentangle/networks.h"

namespace atelier::disentangle {

LatentCode to_latent(const torch::Tensor& code);  // from 1 x C x H x W
// Error(BadInput) naming `what` when the shape is not `expected` (C, H, W).
torch::Tensor from_latent(const LatentCode& code, const std::vector<std::int64_t>& expected,
                          const torch::Device& device, const std::string& what);
DisentangleCodes to_public(const Codes& codes);

// 1 x 3 x S x S in [-1, 1]; other sizes are centre-cropped and resized.
torch::Tensor image_input(const Image& image, int size, const torch::Device& device);

}  // namespace atelier::disentangle
