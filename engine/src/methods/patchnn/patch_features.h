// Patches as short feature vectors: every patch of a volume (C x T x H x W) projected on the
// first principal components of a level's key patches. With all components the projection is a
// rotation, so distances are the patches' own; with fewer, the small-variance directions go.
// Features are scaled so that squared distances are mean squared differences of [0, 1] pixels.
#pragma once

#include <torch/types.h>

#include <ATen/core/Generator.h>

#include "methods/patchnn/volume_pyramid.h"

namespace atelier::patchnn {

struct PatchShape {
  int frames = 1;  // kt
  int side = 7;    // kh = kw

  int values(int channels) const { return channels * frames * side * side; }
  // The grid of patch positions (top-left-front corners) inside a volume of `size`.
  VolumeSize grid(const VolumeSize& size) const {
    return {size.frames - frames + 1, size.height - side + 1, size.width - side + 1};
  }
};

// D x C x kt x kh x kw projection kernels, scaled (see above).
struct PatchBasis {
  torch::Tensor kernels;
  int dims() const { return static_cast<int>(kernels.size(0)); }
};

// The `dims` leading principal components of up to a few thousand key patches drawn with
// `generator`; dims <= 0 or at least the patch's value count: every component.
PatchBasis principal_basis(const torch::Tensor& keys, const PatchShape& patch, int dims,
                           at::Generator& generator);

// N x D features of every patch of `volume`, N = grid positions in (t, y, x) order. Written into
// `into` when it is given with that shape (a buffer reused from round to round: large fresh
// allocations cost the kernel's page faults on every round).
torch::Tensor patch_features(const torch::Tensor& volume, const PatchBasis& basis,
                             torch::Tensor into = {});

}  // namespace atelier::patchnn
