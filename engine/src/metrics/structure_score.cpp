// Structure score: correlation of low-resolution luminance edge maps.
#include <torch/torch.h>

#include <algorithm>
#include <cmath>

#include "atelier/error.h"
#include "atelier/metrics.h"
#include "core/guard.h"
#include "metrics/metric_tensors.h"

namespace atelier {
namespace {
namespace F = torch::nn::functional;

// 1 x 1 x H x W resized to height x width: area averaging when shrinking, bilinear otherwise.
torch::Tensor resize_plane(const torch::Tensor& plane, std::int64_t height, std::int64_t width) {
  if (height <= plane.size(2) && width <= plane.size(3))
    return F::adaptive_avg_pool2d(plane, F::AdaptiveAvgPool2dFuncOptions({height, width}));
  return F::interpolate(plane, F::InterpolateFuncOptions()
                                   .size(std::vector<std::int64_t>{height, width})
                                   .mode(torch::kBilinear)
                                   .align_corners(false));
}

// Sobel gradient magnitude over the valid interior of 1 x 1 x H x W.
torch::Tensor edge_magnitude(const torch::Tensor& plane) {
  const auto smooth = torch::tensor({1.0f, 2.0f, 1.0f});
  const auto slope = torch::tensor({-1.0f, 0.0f, 1.0f});
  const auto kx = torch::outer(smooth, slope).view({1, 1, 3, 3});
  const auto ky = torch::outer(slope, smooth).view({1, 1, 3, 3});
  const auto gx = F::conv2d(plane, kx), gy = F::conv2d(plane, ky);
  return (gx.square() + gy.square()).sqrt();
}

double pearson(const torch::Tensor& x, const torch::Tensor& y) {
  const auto dx = x.to(torch::kDouble).flatten() - x.to(torch::kDouble).mean();
  const auto dy = y.to(torch::kDouble).flatten() - y.to(torch::kDouble).mean();
  const double vx = dx.square().sum().item<double>(), vy = dy.square().sum().item<double>();
  if (vx <= 1e-18 || vy <= 1e-18) return 0.0;
  return std::clamp((dx * dy).sum().item<double>() / std::sqrt(vx * vy), -1.0, 1.0);
}

}  // namespace

double structure_score(const Image& output, const Image& structure_source, int long_side) {
  const std::string what = "structure score";
  metrics::require_nonempty(output, what + " (output)");
  metrics::require_nonempty(structure_source, what + " (structure source)");
  if (long_side < 3) throw usage_error(what + ": long_side must be at least 3");
  return guarded("computing " + what, [&] {
    torch::NoGradGuard no_grad;
    const int w = structure_source.width, h = structure_source.height;
    const double scale = std::min(1.0, double(long_side) / std::max(w, h));
    const std::int64_t width = std::max<std::int64_t>(3, std::lround(w * scale));
    const std::int64_t height = std::max<std::int64_t>(3, std::lround(h * scale));
    auto reduce = [&](const Image& image) {
      return resize_plane(metrics::luminance(metrics::unit_rgb(image)), height, width);
    };
    return pearson(edge_magnitude(reduce(output)), edge_magnitude(reduce(structure_source)));
  });
}

}  // namespace atelier
