#include "metrics/wasserstein_1d.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <vector>

namespace atelier::metrics {
namespace {

// Maps a float to an unsigned key with the same order (negative values flipped).
inline std::uint32_t order_key(float value) {
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return (bits & 0x80000000u) ? ~bits : (bits | 0x80000000u);
}

inline float from_order_key(std::uint32_t key) {
  const std::uint32_t bits = (key & 0x80000000u) ? (key & 0x7fffffffu) : ~key;
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

// Per-thread buffers, reused across rows.
struct SortBuffers {
  std::vector<std::uint32_t> keys, scratch;
};

// Sorts `n` floats into `out` (least-significant-digit radix sort, four passes of 8 bits).
void radix_sort(const float* values, std::int64_t n, std::vector<float>& out,
                SortBuffers& buffers) {
  auto& keys = buffers.keys;
  auto& scratch = buffers.scratch;
  keys.resize(n);
  scratch.resize(n);
  for (std::int64_t i = 0; i < n; ++i) keys[i] = order_key(values[i]);
  for (int shift = 0; shift < 32; shift += 8) {
    std::array<std::int64_t, 257> start{};
    for (std::int64_t i = 0; i < n; ++i) ++start[((keys[i] >> shift) & 0xFF) + 1];
    for (int digit = 0; digit < 256; ++digit) start[digit + 1] += start[digit];
    for (std::int64_t i = 0; i < n; ++i) scratch[start[(keys[i] >> shift) & 0xFF]++] = keys[i];
    keys.swap(scratch);
  }
  out.resize(n);
  for (std::int64_t i = 0; i < n; ++i) out[i] = from_order_key(keys[i]);
}

// The sorted sample's quantile function at the i-th of n points (i + 0.5) / n.
inline double quantile(const std::vector<float>& sorted, std::int64_t i, std::int64_t n) {
  const auto count = static_cast<std::int64_t>(sorted.size());
  if (count == n) return sorted[i];
  const double position =
      std::clamp((i + 0.5) * double(count) / double(n) - 0.5, 0.0, double(count - 1));
  const auto low = static_cast<std::int64_t>(position);
  const std::int64_t high = std::min(low + 1, count - 1);
  return sorted[low] + (position - double(low)) * (sorted[high] - sorted[low]);
}

}  // namespace

double mean_wasserstein_1d(const torch::Tensor& a, const torch::Tensor& b) {
  TORCH_CHECK(a.dim() == 2 && b.dim() == 2 && a.size(0) == b.size(0),
              "mean_wasserstein_1d needs two matrices with the same number of rows");
  const auto rows_a = a.to(torch::kCPU, torch::kFloat).contiguous();
  const auto rows_b = b.to(torch::kCPU, torch::kFloat).contiguous();
  const std::int64_t rows = rows_a.size(0), na = rows_a.size(1), nb = rows_b.size(1);
  const std::int64_t n = std::max(na, nb);
  const float* data_a = rows_a.data_ptr<float>();
  const float* data_b = rows_b.data_ptr<float>();
  std::vector<double> row_distance(rows, 0.0);
  at::parallel_for(0, rows, 1, [&](std::int64_t begin, std::int64_t end) {
    SortBuffers buffers;
    std::vector<float> sorted_a, sorted_b;
    for (std::int64_t row = begin; row < end; ++row) {
      radix_sort(data_a + row * na, na, sorted_a, buffers);
      radix_sort(data_b + row * nb, nb, sorted_b, buffers);
      double sum = 0;
      for (std::int64_t i = 0; i < n; ++i)
        sum += std::abs(quantile(sorted_a, i, n) - quantile(sorted_b, i, n));
      row_distance[row] = sum / double(n);
    }
  });
  return std::accumulate(row_distance.begin(), row_distance.end(), 0.0) / double(rows);
}

}  // namespace atelier::metrics
