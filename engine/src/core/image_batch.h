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

// One training step's draw of `batch` images from a set of `total`: rows (int64) and whether
// each is flipped left-right (with chance 1/2 when `flip`), from torch's global generator, so
// seeded runs repeat and the ranks of a data-parallel training draw alike.
struct BatchDraw {
  torch::Tensor rows;
  torch::Tensor flips;  // bool, one per row
};
BatchDraw draw_batch_rows(std::int64_t total, int batch, bool flip);

// The float images of a draw (uint8 set -> [-1, 1] on `device`), flipped as drawn.
torch::Tensor gather_batch(const torch::Tensor& set, const BatchDraw& draw,
                           const torch::Device& device);

// `batch` random images of `set`: gather_batch(set, draw_batch_rows(set.size(0), ...), device).
torch::Tensor sample_batch(const torch::Tensor& set, int batch, bool flip,
                           const torch::Device& device);

}  // namespace atelier
