// The two image sets as tensors: a seeded held-out split, random batches with flips, and the
// random boxes that teach the background to fill holes.
#pragma once

#include <torch/types.h>

#include <cstdint>

#include "atelier/disentangle.h"
#include "core/data_parallel.h"
#include "core/image_batch.h"

namespace atelier::disentangle {

// size x size RGB: centre-cropped and resized when needed (`resized` set then).
Image fit_image(const Image& image, int size, bool* resized = nullptr);

// N x 3 x S x S uint8 (compact; a batch becomes float only when drawn).
torch::Tensor images_to_bytes(const std::vector<Image>& images, int size, int* resized = nullptr);

// Which images of a set this process holds. One process holds them all. A rank of a
// data-parallel training holds a shard: image k of it is file rank + k * world_size of the sorted
// folder, whose `total` files the ranks share out.
struct ShardOf {
  int rank = 0;
  int world_size = 1;
  std::int64_t total = 0;  // 0: the images given are the whole set
};

struct DomainSplit {
  torch::Tensor train;  // uint8 N x 3 x S x S: the training images this process holds
  // uint8: every held-out image (may be 0 of them). A rank fills only those it holds and leaves
  // zeros in the others' rows until the ranks sum it (DataParallel::sum).
  torch::Tensor test;
  // Per training image of the whole set (int64): the rank holding it, and its row in that rank's
  // `train`. One process: all 0, and 0, 1, 2, ...
  torch::Tensor owner, row;
  std::int64_t train_total() const { return owner.size(0); }
};

// Holds out round(test_fraction * n) images of the whole set of n (at least 1 when
// test_fraction > 0 and n >= 4), chosen with `seed`, so every rank holds out the same files.
// Error(BadInput) naming `name` for fewer than 2 images.
DomainSplit split_domain(const std::vector<Image>& images, int size, double test_fraction,
                         std::uint64_t seed, const std::string& name, const ShardOf& shard = {});

// N x 1 x S x S: with chance p per image, one random box (sides S/4..S/2) of ones; else zeros.
torch::Tensor random_boxes(std::int64_t n, int size, double p, const torch::Device& device);

}  // namespace atelier::disentangle
