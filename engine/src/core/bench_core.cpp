#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "atelier/bench.h"
#include "core/device.h"
#include "core/guard.h"

namespace atelier {
namespace {

void synchronize(const torch::Device& device) {
  if (device.is_cuda()) torch::cuda::synchronize(device.index());
}

// Median wall time in seconds of `repeats` calls of f, after one warm-up call.
template <class F>
double median_seconds(int repeats, const torch::Device& device, F&& f) {
  f();
  synchronize(device);
  std::vector<double> times;
  for (int i = 0; i < std::max(1, repeats); ++i) {
    auto start = std::chrono::steady_clock::now();
    f();
    synchronize(device);
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
  return times[times.size() / 2];
}

}  // namespace

CoreBenchResult bench_core(const CoreBenchOptions& options) {
  return guarded("bench core", [&] {
    const torch::Device device = prepare_compute(options.compute, 1);
    CoreBenchResult result;
    result.device = device.str();
    result.threads = at::get_num_threads();

    const auto f32 = torch::TensorOptions().dtype(torch::kFloat32).device(device);
    const int64_t n = options.matmul_size;
    {
      torch::NoGradGuard no_grad;
      auto a = torch::randn({n, n}, f32), b = torch::randn({n, n}, f32);
      const double s = median_seconds(options.repeats, device, [&] { (void)torch::mm(a, b); });
      result.matmul_gflops = 2.0 * n * n * n / s / 1e9;
    }

    const int64_t c = options.conv_channels, hw = options.conv_size;
    auto conv = torch::nn::Conv2d(torch::nn::Conv2dOptions(c, c, 3).padding(1));
    conv->to(device);
    auto x = torch::randn({1, c, hw, hw}, f32);
    const double forward_flops = 2.0 * c * c * 9 * hw * hw;
    {
      torch::NoGradGuard no_grad;
      const double s = median_seconds(options.repeats, device, [&] { (void)conv->forward(x); });
      result.conv_forward_ms = s * 1e3;
      result.conv_forward_gflops = forward_flops / s / 1e9;
    }
    auto xg = x.clone().requires_grad_(true);
    const double s = median_seconds(options.repeats, device, [&] {
      conv->zero_grad();
      conv->forward(xg).sum().backward();
    });
    result.conv_train_ms = s * 1e3;
    // Backward computes the input gradient and the weight gradient: two more products of the
    // forward's size.
    result.conv_train_gflops = 3.0 * forward_flops / s / 1e9;
    return result;
  });
}

}  // namespace atelier
