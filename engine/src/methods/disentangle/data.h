// The two image sets as tensors: a seeded held-out split, random batches with flips, and the
// random boxes that teach the background to fill holes.
#pragma once

#include <torch/types.h>

#include <cstdint>

#include "atelier/disentangle.h"
#include "core/image_batch.h"

namespace atelier::disentangle {

// size x size RGB: centre-cropped and resized when needed (`resized` set then).
Image fit_image(const Image& image, int size, bool* resized = nullptr);

// N x 3 x S x S uint8 (compact; a batch becomes float only when drawn).
torch::Tensor images_to_bytes(const std::vector<Image>& images, int size, int* resized = nullptr);
// bytes_to_float and sample_batch (core/image_batch.h) turn these sets into float batches.

struct DomainSplit {
  torch::Tensor train;  // uint8 N x 3 x S x S
  torch::Tensor test;   // may be empty (0 images)
};

// Holds out round(test_fraction * n) images (at least 1 when test_fraction > 0 and n >= 4),
// chosen with `seed`. Error(BadInput) naming `name` for fewer than 2 images.
DomainSplit split_domain(const std::vector<Image>& images, int size, double test_fraction,
                         std::uint64_t seed, const std::string& name);

// N x 1 x S x S: with chance p per image, one random box (sides S/4..S/2) of ones; else zeros.
torch::Tensor random_boxes(std::int64_t n, int size, double p, const torch::Device& device);

}  // namespace atelier::disentangle
