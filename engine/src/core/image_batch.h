// Image sets kept compact as uint8 tensors, and the float batches a training draws from them.
#pragma once

#include <torch/types.h>

#include <vector>

#include "atelier/image.h"

namespace atelier {

// N x 3 x S x S uint8 from RGB images that all have the same size (Error(BadInput) otherwise).
torch::Tensor pack_image_bytes(const std::vector<Image>& images);

// uint8 N x 3 x S x S -> float in [-1, 1] on `device`.
torch::Tensor bytes_to_float(const torch::Tensor& bytes, const torch::Device& device);

// `batch` random images of `set` (uint8) as float on `device`, each flipped left-right with
// chance 1/2 when `flip` (torch's global generator: seeded runs repeat).
torch::Tensor sample_batch(const torch::Tensor& set, int batch, bool flip,
                           const torch::Device& device);

}  // namespace atelier
