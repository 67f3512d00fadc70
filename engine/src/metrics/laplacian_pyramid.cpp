#include "metrics/laplacian_pyramid.h"

#include <torch/torch.h>

#include <algorithm>

namespace atelier::metrics {
namespace F = torch::nn::functional;

namespace {

// Filters every channel of N x C x H x W with the separable binomial kernel times `gain` per axis,
// reflecting at the borders; `stride` 2 also halves.
torch::Tensor binomial_filter(const torch::Tensor& x, double gain, int stride) {
  const auto sizes = x.sizes();
  auto taps = torch::tensor({1.0, 4.0, 6.0, 4.0, 1.0}, x.options()) * (gain / 16.0);
  auto planes = x.reshape({sizes[0] * sizes[1], 1, sizes[2], sizes[3]});
  planes = F::pad(planes, F::PadFuncOptions({2, 2, 2, 2}).mode(torch::kReflect));
  planes = F::conv2d(planes, taps.view({1, 1, 5, 1}), F::Conv2dFuncOptions().stride({stride, 1}));
  planes = F::conv2d(planes, taps.view({1, 1, 1, 5}), F::Conv2dFuncOptions().stride({1, stride}));
  return planes.reshape({sizes[0], sizes[1], planes.size(2), planes.size(3)});
}

}  // namespace

int pyramid_level_count(int short_side, int min_size, int max_levels) {
  const int floor_size = std::max(min_size, 4);  // the 5-tap filter needs a few pixels
  int levels = 1;
  while (max_levels <= 0 || levels < max_levels) {
    const int next = (short_side + 1) / 2;
    if (next < floor_size) break;
    short_side = next;
    ++levels;
  }
  return levels;
}

torch::Tensor pyramid_down(const torch::Tensor& x) {
  return binomial_filter(x, 1.0, 2);
}

torch::Tensor pyramid_up(const torch::Tensor& x, std::int64_t height, std::int64_t width) {
  const auto n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
  auto spread = torch::zeros({n, c, 2 * h, 2 * w}, x.options());
  using torch::indexing::Slice;
  spread.index_put_(
      {Slice(), Slice(), Slice(0, torch::indexing::None, 2), Slice(0, torch::indexing::None, 2)},
      x);
  // Gain 2 per axis restores the brightness lost to the inserted zeros.
  return binomial_filter(spread, 2.0, 1)
      .index({Slice(), Slice(), Slice(0, height), Slice(0, width)});
}

std::vector<torch::Tensor> laplacian_pyramid(const torch::Tensor& x, int levels) {
  std::vector<torch::Tensor> bands;
  auto current = x;
  for (int level = 0; level + 1 < levels; ++level) {
    auto coarser = pyramid_down(current);
    bands.push_back(current - pyramid_up(coarser, current.size(2), current.size(3)));
    current = coarser;
  }
  bands.push_back(current);
  return bands;
}

}  // namespace atelier::metrics
