#include "methods/disentangle/guide.h"

#include <torch/nn/functional/pooling.h>
#include <torch/nn/functional/upsampling.h>
#include <torch/torch.h>

#include <algorithm>
#include <vector>

namespace atelier::disentangle {

namespace F = torch::nn::functional;

torch::Tensor guide_loss(const torch::Tensor& alpha, const torch::Tensor& p_own,
                         const GuideShape& shape, const BatchMean& over_batch) {
  const torch::Tensor want =
      ((p_own - shape.start_at) / (shape.full_at - shape.start_at)).clamp(0, 1);
  const auto cell = alpha.size(2) / p_own.size(2);
  const int area = shape.area;
  const torch::Tensor solid =
      area > 1
          ? F::avg_pool2d(
                alpha,
                F::AvgPool2dFuncOptions(area).stride(1).padding(area / 2).count_include_pad(false))
          : alpha;
  torch::Tensor have = F::max_pool2d(solid, F::MaxPool2dFuncOptions(cell).stride(cell));
  if (shape.reach > 0) {
    const int side = 2 * shape.reach + 1;
    have = F::max_pool2d(have, F::MaxPool2dFuncOptions(side).stride(1).padding(shape.reach));
  }
  const torch::Tensor wanted = over_batch ? over_batch(want.mean()) : want.mean();
  const torch::Tensor missing = (want - have).clamp_min(0).pow(2).mean() / (wanted + 1e-3);
  const torch::Tensor near = F::max_pool2d(want, F::MaxPool2dFuncOptions(3).stride(1).padding(1));
  const torch::Tensor allowed =
      F::interpolate(near, F::InterpolateFuncOptions()
                               .scale_factor(std::vector<double>{double(cell), double(cell)})
                               .mode(torch::kNearest));
  const torch::Tensor stray = (alpha * (1 - allowed)).mean();
  return missing + stray;
}

torch::Tensor away_from_attribute(const torch::Tensor& alpha, std::int64_t cells, double most) {
  const std::int64_t cell = alpha.size(2) / cells;
  const torch::Tensor present =
      (F::max_pool2d(alpha.detach(), F::MaxPool2dFuncOptions(cell).stride(cell)) > 0.5)
          .to(alpha.scalar_type());
  const torch::Tensor near =
      F::max_pool2d(present, F::MaxPool2dFuncOptions(3).stride(1).padding(1));
  const torch::Tensor spread = (near.mean({1, 2, 3}, /*keepdim=*/true) > most);
  return torch::where(spread, torch::ones_like(near), 1 - near);
}

torch::Tensor layer_fit_loss(const torch::Tensor& alpha, const torch::Tensor& rgb,
                             const torch::Tensor& x) {
  return (alpha * (rgb - x).abs()).mean();
}

double solid_guide_share(double progress, double from) {
  constexpr double kBlend = 0.1;  // of training: long enough for Adam's moments to follow
  if (from <= 0) return 1;
  return std::clamp((progress - from) / kBlend, 0.0, 1.0);
}

}  // namespace atelier::disentangle
