#include "methods/patchnn/patch_features.h"

#include <torch/nn/functional/conv.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace atelier::patchnn {
namespace {

// Enough patches for a stable covariance of a few hundred values.
constexpr std::int64_t kBasisSamples = 4096;
// Convolution outputs of at most this many values at once (16 MB).
constexpr std::int64_t kChunkElements = std::int64_t(4) << 20;

// M x P patch values at `count` random grid positions (all when there are fewer).
torch::Tensor sample_patches(const torch::Tensor& volume, const PatchShape& patch,
                             at::Generator& generator) {
  const VolumeSize grid = patch.grid(size_of(volume));
  // A strided view C x T' x H' x W' x kt x kh x kw: indexing it copies only the chosen patches.
  const torch::Tensor windows =
      volume.unfold(1, patch.frames, 1).unfold(2, patch.side, 1).unfold(3, patch.side, 1);
  const std::int64_t positions = grid.pixels();
  torch::Tensor chosen;
  if (positions <= kBasisSamples) {
    chosen = torch::arange(positions, torch::kLong);
  } else {
    chosen = torch::randint(positions, {kBasisSamples}, generator, torch::kLong);
  }
  chosen = chosen.to(volume.device());
  const std::int64_t plane = std::int64_t(grid.height) * grid.width;
  const torch::Tensor t = chosen.div(plane, "floor");
  const torch::Tensor y = chosen.remainder(plane).div(grid.width, "floor");
  const torch::Tensor x = chosen.remainder(grid.width);
  using torch::indexing::Slice;
  const torch::Tensor picked = windows.index({Slice(), t, y, x});  // C x M x kt x kh x kw
  return picked.transpose(0, 1).reshape({picked.size(1), -1});
}

}  // namespace

PatchBasis principal_basis(const torch::Tensor& keys, const PatchShape& patch, int dims,
                           at::Generator& generator) {
  const auto channels = keys.size(0);
  const int values = patch.values(static_cast<int>(channels));
  // Squared feature distances / (4 values) are mean squared differences in [0, 1] pixels.
  const double scale = 1.0 / std::sqrt(4.0 * values);
  const auto kernel_shape =
      std::vector<std::int64_t>{-1, channels, patch.frames, patch.side, patch.side};
  if (dims <= 0 || dims >= values) {
    return {torch::eye(values, keys.options()).mul(scale).reshape(kernel_shape)};
  }
  const torch::Tensor samples = sample_patches(keys, patch, generator).to(torch::kDouble);
  const torch::Tensor centred = samples - samples.mean(0, true);
  const torch::Tensor covariance =
      centred.t().mm(centred) / std::max<std::int64_t>(1, samples.size(0));
  // Eigenvalues ascending: the last `dims` vectors span the most variance.
  const torch::Tensor vectors = std::get<1>(torch::linalg_eigh(covariance, "L"));
  const torch::Tensor leading = vectors.narrow(1, values - dims, dims).flip({1});
  return {leading.t().to(keys.scalar_type()).mul(scale).contiguous().reshape(kernel_shape)};
}

torch::Tensor patch_features(const torch::Tensor& volume, const PatchBasis& basis,
                             torch::Tensor into) {
  namespace F = torch::nn::functional;
  const auto frames = basis.kernels.size(2), side = basis.kernels.size(3);
  const std::int64_t out_frames = volume.size(1) - frames + 1;
  const std::int64_t height = volume.size(2) - side + 1, width = volume.size(3) - side + 1;
  const std::int64_t dims = basis.dims(), plane = height * width;
  if (!into.defined() || into.size(0) != out_frames * plane || into.size(1) != dims)
    into = torch::empty({out_frames * plane, dims}, volume.options());
  // Frames in chunks whose convolution output stays small (see above).
  const std::int64_t chunk = std::max<std::int64_t>(1, kChunkElements / (plane * dims));
  for (std::int64_t first = 0; first < out_frames; first += chunk) {
    const std::int64_t count = std::min(chunk, out_frames - first);
    // A space-time patch is the sum over its frames of 2-D patches: frames become a batch of
    // 2-D convolutions (oneDNN's fast path; some batch-1 Conv3d shapes take a slow one).
    torch::Tensor sum;
    for (std::int64_t a = 0; a < frames; ++a) {
      const torch::Tensor batch = volume.narrow(1, first + a, count).transpose(0, 1);
      const torch::Tensor part = F::conv2d(batch, basis.kernels.select(2, a).contiguous());
      sum = sum.defined() ? sum.add_(part) : part;
    }
    into.narrow(0, first * plane, count * plane)
        .view({count, height, width, dims})
        .copy_(sum.permute({0, 2, 3, 1}));
  }
  return into;
}

}  // namespace atelier::patchnn
