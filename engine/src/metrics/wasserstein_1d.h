// One-dimensional Wasserstein-1 distances between rows of projections (the hot loop of SWD).
#pragma once

#include <torch/types.h>

namespace atelier::metrics {

// a is D x N and b is D x M (float32, CPU): row d of each holds samples of one 1-D distribution.
// Returns the mean over rows of the Wasserstein-1 distance between the two empirical
// distributions: rows are sorted and compared quantile by quantile at the points (i + 0.5) / n,
// n = max(N, M), interpolating linearly where a row has fewer samples. Sorting is an LSD radix
// sort: LibTorch 1.13's CPU sort is about 10x slower on 512 x 8192.
double mean_wasserstein_1d(const torch::Tensor& a, const torch::Tensor& b);

}  // namespace atelier::metrics
