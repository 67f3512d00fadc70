// Patch sets and their sliced Wasserstein distance (the core of patch SWD for images and videos).
#pragma once

#include <torch/types.h>

#include <cstdint>

namespace atelier::metrics {

// A seed derived from `seed` and two labels (level, image index, ...), well mixed (splitmix64).
std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0);

// Patches of one pyramid level stored as F x C x H x W (frames as the batch; an image has F = 1).
// Each patch spans `depth` consecutive frames and size x size pixels. All positions are taken when
// there are at most `max_count`, else `max_count` distinct positions drawn with `seed` (the draw
// depends only on the seed and the number of positions). Returns N x C x (depth * size * size).
torch::Tensor sample_patches(const torch::Tensor& level, int depth, int size,
                             std::int64_t max_count, std::uint64_t seed);

// Each channel of a patch set (N x C x K) to zero mean and unit std over all its patches, in place.
torch::Tensor normalize_patch_channels(torch::Tensor patches);

struct SlicedDistance {
  double distance = 0;
  std::int64_t compared = 0;  // points per direction after resampling to equal counts
};

// Sliced Wasserstein-1 distance between the point sets a (N x D) and b (M x D): the mean absolute
// difference of sorted projections on `directions` random unit vectors drawn with `seed`. When N
// and M differ, both sorted projections are resampled (linear quantile interpolation) to max(N, M).
SlicedDistance sliced_wasserstein(const torch::Tensor& a, const torch::Tensor& b, int directions,
                                  std::uint64_t seed);

}  // namespace atelier::metrics
