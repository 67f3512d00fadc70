// LeakyReLU in place, whose second derivative leaves out the term that is always zero.
//
// LibTorch 1.13 differentiates leaky_relu_backward(g, y) with respect to y as zeros_like(g): a
// gradient penalty's second backward fills and adds a tensor of zeros at every activation. Here
// that term is left undefined, which autograd skips. Same values and first derivative as
// torch::leaky_relu_.
#pragma once

#include <torch/types.h>

namespace atelier::nn {

// `x` must not be a leaf that requires grad (as for any in-place operation); a view goes to
// torch::leaky_relu_. Returns x.
torch::Tensor leaky_relu_(torch::Tensor& x, double slope);

}  // namespace atelier::nn
