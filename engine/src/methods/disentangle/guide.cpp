#include "methods/disentangle/guide.h"

#include <torch/nn/functional/pooling.h>
#include <torch/nn/functional/upsampling.h>
#include <torch/torch.h>

#include <algorithm>
#include <vector>

namespace atelier::disentangle {

namespace F = torch::nn::functional;

namespace {

// The largest value of x (N x 1 x S x S) in each cell x cell square: N x 1 x S/cell x S/cell.
torch::Tensor cell_max(const torch::Tensor& x, std::int64_t cell) {
  return F::max_pool2d(x, F::MaxPool2dFuncOptions(cell).stride(cell));
}

// Each cell of a cell grid takes the largest value within `radius` cells of it.
torch::Tensor grow(const torch::Tensor& cells, int radius) {
  return F::max_pool2d(cells, F::MaxPool2dFuncOptions(2 * radius + 1).stride(1).padding(radius));
}

}  // namespace

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
  const torch::Tensor have = grow(cell_max(solid, cell), shape.reach);
  const torch::Tensor wanted = over_batch ? over_batch(want.mean()) : want.mean();
  const torch::Tensor missing = (want - have).clamp_min(0).pow(2).mean() / (wanted + 1e-3);
  const torch::Tensor near = grow(want, 1);
  const torch::Tensor allowed =
      F::interpolate(near, F::InterpolateFuncOptions()
                               .scale_factor(std::vector<double>{double(cell), double(cell)})
                               .mode(torch::kNearest));
  const torch::Tensor stray = (alpha * (1 - allowed)).mean();
  return missing + stray;
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
