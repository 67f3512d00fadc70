#include "nn/spectral_norm.h"

#include <torch/nn/functional/normalization.h>

#include "nn/convolution.h"

namespace atelier::nn {
namespace {

torch::Tensor unit(const torch::Tensor& v) {
  return torch::nn::functional::normalize(
      v, torch::nn::functional::NormalizeFuncOptions().dim(0).eps(1e-12));
}

}  // namespace

SpectralConv3dImpl::SpectralConv3dImpl(int in_channels, int out_channels, int kernel, int padding)
    : padding_(padding) {
  conv = register_module(
      "conv", torch::nn::Conv3d(
                  torch::nn::Conv3dOptions(in_channels, out_channels, kernel).padding(padding)));
  u = register_buffer("u", unit(torch::randn({out_channels})));
}

torch::Tensor SpectralConv3dImpl::normalized_weight() {
  const torch::Tensor w = conv->weight.flatten(1);  // out x (in * k^3)
  torch::Tensor left = u, right;
  {
    torch::NoGradGuard no_grad;
    right = unit(torch::mv(w.t(), left));
    left = unit(torch::mv(w, right));
    if (is_training()) u.copy_(left);
  }
  // `left` and `right` are fresh tensors, never changed in place afterwards, so a double backward
  // (the gradient penalty) can still use them.
  const torch::Tensor sigma = torch::dot(left, torch::mv(w, right));
  return conv->weight / sigma;
}

torch::Tensor SpectralConv3dImpl::forward(const torch::Tensor& x) {
  return convolution(x, normalized_weight(), conv->bias, {1, 1, 1}, {padding_, padding_, padding_},
                     {1, 1, 1});
}

}  // namespace atelier::nn
