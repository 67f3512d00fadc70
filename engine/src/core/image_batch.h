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
// chance 1/2 when `flip` (torch's global generator: seeded runs repeat). One process's
// gather_shard_batch(set, draw_shard_batch(set.size(0), batch, flip, 0, 1), device).
torch::Tensor sample_batch(const torch::Tensor& set, int batch, bool flip,
                           const torch::Device& device);

// One training step's draw from a set of `total` images spread over the ranks (image i lives on
// rank i % world_size, at row i / world_size of that rank's shard). Every rank makes the same
// draw from torch's global generator (seeded alike), and keeps the images of its own shard, so
// the ranks together see exactly the batch that one process would.
struct ShardBatch {
  torch::Tensor rows;   // int64: this rank's rows in its shard
  torch::Tensor flips;  // bool, one per row: flip left-right
  std::int64_t global_batch = 0;
  // This rank's share of the global batch: a loss averaged over this rank's images, times this,
  // summed over the ranks, is the loss averaged over the global batch.
  double share() const {
    return global_batch > 0 ? double(rows.size(0)) / double(global_batch) : 0.0;
  }
};
ShardBatch draw_shard_batch(std::int64_t total, int batch, bool flip, int rank, int world_size);

// The float images of a draw (uint8 shard -> [-1, 1] on `device`), flipped as drawn.
torch::Tensor gather_shard_batch(const torch::Tensor& shard, const ShardBatch& draw,
                                 const torch::Device& device);

}  // namespace atelier
