// Spectral normalisation (Miyato et al. 2018) for 3-D convolutions: the weight is divided by an
// estimate of its largest singular value, refreshed by one power iteration per training forward.
// It keeps a critic Lipschitz-bounded (videogen's 3-D critic).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

namespace atelier::nn {

class SpectralConv3dImpl : public torch::nn::Module {
 public:
  SpectralConv3dImpl(int in_channels, int out_channels, int kernel, int padding);
  torch::Tensor forward(const torch::Tensor& x);
  // The weight divided by its current spectral norm estimate (updates the estimate in training).
  torch::Tensor normalized_weight();

  torch::nn::Conv3d conv{nullptr};  // holds the unnormalised weight and the bias
  torch::Tensor u;                  // left singular vector estimate (a buffer)

 private:
  int padding_;
};
TORCH_MODULE(SpectralConv3d);

}  // namespace atelier::nn
