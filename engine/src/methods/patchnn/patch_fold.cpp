#include "methods/patchnn/patch_fold.h"

#include <torch/torch.h>

#include <cmath>

namespace atelier::patchnn {
namespace {

// Gaussian weights of the positions of a side of k pixels laid on [-1, 1].
std::vector<float> side_weights(int k, double sigma) {
  std::vector<float> w(k);
  for (int i = 0; i < k; ++i) {
    const double u = k == 1 ? 0.0 : -1.0 + 2.0 * i / (k - 1);
    w[i] = static_cast<float>(std::exp(-0.5 * (u / sigma) * (u / sigma)));
  }
  return w;
}

using torch::indexing::Slice;

}  // namespace

PatchFolder::PatchFolder(const VolumeSize& size, const PatchShape& patch, double sigma,
                         const torch::TensorOptions& options)
    : size_(size), patch_(patch) {
  const std::vector<float> wt = side_weights(patch.frames, sigma);
  const std::vector<float> ws = side_weights(patch.side, sigma);
  for (int a = 0; a < patch.frames; ++a)
    for (int b = 0; b < patch.side; ++b)
      for (int e = 0; e < patch.side; ++e) weights_.push_back(wt[a] * ws[b] * ws[e]);

  const VolumeSize grid = patch.grid(size);
  normaliser_ = torch::zeros({1, size.frames, size.height, size.width}, options);
  std::size_t i = 0;
  for (int a = 0; a < patch.frames; ++a)
    for (int b = 0; b < patch.side; ++b)
      for (int e = 0; e < patch.side; ++e) {
        normaliser_
            .index({Slice(), Slice(a, a + grid.frames), Slice(b, b + grid.height),
                    Slice(e, e + grid.width)})
            .add_(weights_[i++]);
      }
}

torch::Tensor PatchFolder::fold(const torch::Tensor& values, const torch::Tensor& field) const {
  const VolumeSize grid = patch_.grid(size_);
  const VolumeSize from = size_of(values);
  const auto channels = values.size(0);
  const torch::Tensor flat = values.reshape({channels, -1});
  // Each patch's first value pixel, as an index into the flattened values.
  const torch::Tensor corner =
      ((field[0] * from.height + field[1]) * from.width + field[2]).reshape({-1});
  torch::Tensor out =
      torch::zeros({channels, size_.frames, size_.height, size_.width}, values.options());
  std::size_t i = 0;
  for (int a = 0; a < patch_.frames; ++a)
    for (int b = 0; b < patch_.side; ++b)
      for (int e = 0; e < patch_.side; ++e) {
        // Pixel (a, b, e) of every chosen patch lands at the query's position + (a, b, e).
        const std::int64_t offset = (std::int64_t(a) * from.height + b) * from.width + e;
        const torch::Tensor pixels = flat.index_select(1, corner + offset)
                                         .view({channels, grid.frames, grid.height, grid.width});
        out.index({Slice(), Slice(a, a + grid.frames), Slice(b, b + grid.height),
                   Slice(e, e + grid.width)})
            .add_(pixels, weights_[i++]);
      }
  return out.div_(normaliser_);
}

}  // namespace atelier::patchnn
