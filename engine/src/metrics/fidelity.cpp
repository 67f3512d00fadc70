// PSNR and SSIM: pixel-level fidelity between two images of one size.
#include <torch/torch.h>

#include <cmath>
#include <limits>

#include "atelier/error.h"
#include "atelier/metrics.h"
#include "core/guard.h"
#include "metrics/metric_tensors.h"

namespace atelier {
namespace {

constexpr int kSsimWindow = 11;
constexpr double kSsimSigma = 1.5;

// Normalised 1-D Gaussian of kSsimWindow taps.
torch::Tensor gaussian_taps() {
  const auto x = torch::arange(kSsimWindow, torch::kDouble) - (kSsimWindow - 1) / 2.0;
  const auto g = torch::exp(-x * x / (2 * kSsimSigma * kSsimSigma));
  return g / g.sum();
}

// Separable Gaussian mean over each valid 11x11 window of N x 1 x H x W.
torch::Tensor window_mean(const torch::Tensor& x, const torch::Tensor& taps) {
  namespace F = torch::nn::functional;
  const auto rows = F::conv2d(x, taps.view({1, 1, kSsimWindow, 1}));
  return F::conv2d(rows, taps.view({1, 1, 1, kSsimWindow}));
}

}  // namespace

double psnr(const Image& a, const Image& b) {
  metrics::require_same_size(a, b, "PSNR");
  return guarded("computing PSNR", [&] {
    const auto diff = (metrics::unit_rgb(a) - metrics::unit_rgb(b)).to(torch::kDouble) * 255.0;
    const double mse = diff.square().mean().item<double>();
    if (mse == 0) return std::numeric_limits<double>::infinity();
    return 10.0 * std::log10(255.0 * 255.0 / mse);
  });
}

double ssim(const Image& a, const Image& b) {
  metrics::require_same_size(a, b, "SSIM");
  if (a.width < kSsimWindow || a.height < kSsimWindow)
    throw bad_input("SSIM: images of " + std::to_string(a.width) + "x" + std::to_string(a.height) +
                    " are smaller than the 11x11 window");
  return guarded("computing SSIM", [&] {
    const double c1 = std::pow(0.01 * 255, 2), c2 = std::pow(0.03 * 255, 2);
    const auto x = metrics::luminance(metrics::unit_rgb(a)).to(torch::kDouble) * 255.0;
    const auto y = metrics::luminance(metrics::unit_rgb(b)).to(torch::kDouble) * 255.0;
    // One filtering pass over the five moment images.
    const auto m = window_mean(torch::cat({x, y, x * x, y * y, x * y}), gaussian_taps());
    const auto mx = m[0], my = m[1];
    const auto vx = m[2] - mx * mx, vy = m[3] - my * my, cov = m[4] - mx * my;
    const auto map =
        ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
    return map.mean().item<double>();
  });
}

}  // namespace atelier
