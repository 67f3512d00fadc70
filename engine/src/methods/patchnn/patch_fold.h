// Folding chosen patches back into a volume: every output pixel is the weighted mean of the value
// pixels that the patches covering it bring (GPNN's weighted blend; a Gaussian over the patch, so
// a pixel listens more to the patches centred near it).
#pragma once

#include <torch/types.h>

#include "methods/patchnn/patch_features.h"
#include "methods/patchnn/volume_pyramid.h"

namespace atelier::patchnn {

class PatchFolder {
 public:
  // For outputs of `size` made of `patch`-shaped patches; sigma in units of half a patch.
  PatchFolder(const VolumeSize& size, const PatchShape& patch, double sigma,
              const torch::TensorOptions& options);

  // The volume (C x T x H x W of the folder's size) made of the patches of `values` (a volume of
  // any size) that `field` (3 x T' x H' x W' on the output's grid) points at.
  torch::Tensor fold(const torch::Tensor& values, const torch::Tensor& field) const;

 private:
  VolumeSize size_;
  PatchShape patch_;
  std::vector<float> weights_;  // kt x kh x kw, row-major
  torch::Tensor normaliser_;    // 1 x T x H x W: the weights that reach each pixel
};

}  // namespace atelier::patchnn
