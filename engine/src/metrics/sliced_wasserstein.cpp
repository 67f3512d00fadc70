#include "metrics/sliced_wasserstein.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>

#include "metrics/wasserstein_1d.h"

namespace atelier::metrics {
namespace {

using torch::indexing::Slice;

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

}  // namespace

std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t a, std::uint64_t b) {
  return splitmix64(splitmix64(splitmix64(seed) ^ a) ^ b);
}

torch::Tensor sample_patches(const torch::Tensor& level, int depth, int size,
                             std::int64_t max_count, std::uint64_t seed) {
  const std::int64_t frames = level.size(0), channels = level.size(1);
  const std::int64_t height = level.size(2), width = level.size(3);
  const std::int64_t nt = frames - depth + 1, ny = height - size + 1, nx = width - size + 1;
  const std::int64_t positions = nt * ny * nx;

  torch::Tensor picked;  // flat position indices in [0, positions)
  if (positions <= max_count) {
    picked = torch::arange(positions, torch::kLong);
  } else {
    auto generator = at::detail::createCPUGenerator(seed);
    picked = torch::randperm(positions, generator, torch::kLong).index({Slice(0, max_count)});
  }
  // Copy rows of `size` pixels straight from the level: cheaper than building index tensors.
  const auto source = level.to(torch::kFloat).contiguous();
  const std::int64_t count = picked.size(0), elements = depth * size * size;
  auto patches = torch::empty({count, channels, elements}, source.options());
  const float* from = source.data_ptr<float>();
  float* to = patches.data_ptr<float>();
  const std::int64_t* position = picked.data_ptr<std::int64_t>();
  at::parallel_for(0, count, 256, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t n = begin; n < end; ++n) {
      const std::int64_t t = position[n] / (ny * nx), y = position[n] / nx % ny,
                         x = position[n] % nx;
      float* out = to + n * channels * elements;
      for (std::int64_t c = 0; c < channels; ++c)
        for (std::int64_t dt = 0; dt < depth; ++dt)
          for (std::int64_t dy = 0; dy < size; ++dy, out += size)
            std::copy_n(from + (((t + dt) * channels + c) * height + y + dy) * width + x, size,
                        out);
    }
  });
  return patches;
}

torch::Tensor normalize_patch_channels(torch::Tensor patches) {
  const std::vector<std::int64_t> over_patches{0, 2};
  patches.sub_(patches.mean(over_patches, /*keepdim=*/true));
  patches.div_(patches.square().mean(over_patches, /*keepdim=*/true).sqrt_().clamp_min_(1e-8));
  return patches;
}

SlicedDistance sliced_wasserstein(const torch::Tensor& a, const torch::Tensor& b, int directions,
                                  std::uint64_t seed) {
  constexpr int kDirectionsPerChunk = 64;  // keeps each projection block in cache
  auto generator = at::detail::createCPUGenerator(seed);
  auto basis = torch::randn({directions, a.size(1)}, generator, a.options());
  basis = basis / basis.norm(2, 1, /*keepdim=*/true);
  double total = 0;
  for (int first = 0; first < directions; first += kDirectionsPerChunk) {
    const auto chunk =
        basis.index({Slice(first, std::min(directions, first + kDirectionsPerChunk))});
    // directions x N: each row holds one projection of a whole set.
    total += mean_wasserstein_1d(torch::matmul(chunk, a.t()), torch::matmul(chunk, b.t())) *
             double(chunk.size(0));
  }
  return {total / directions, std::max(a.size(0), b.size(0))};
}

}  // namespace atelier::metrics
