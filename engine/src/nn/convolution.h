// 2-D and 3-D convolutions whose second derivative runs on the convolution's own kernels.
//
// The critics' gradient penalty differentiates the critic's input gradient again. LibTorch 1.13
// (_convolution_double_backward) computes that derivative's weight term as a convolution of the
// batch-transposed maps with a kernel the size of the whole map, after copying both: 14 % of
// analogy's 128x128 step. Here it is the weight gradient of a convolution of the incoming
// gradient (convolution_backward, the kernel the first derivative uses), and the other terms are a
// forward convolution and an input gradient. The first derivative is LibTorch's, unchanged.
#pragma once

#include <torch/nn/modules/conv.h>
#include <torch/types.h>

namespace atelier::nn {

// `conv`'s forward (zero padding given as numbers, not transposed); any other Conv2d or Conv3d
// goes to conv.forward(x).
torch::Tensor conv2d(torch::nn::Conv2dImpl& conv, const torch::Tensor& x);
torch::Tensor conv3d(torch::nn::Conv3dImpl& conv, const torch::Tensor& x);

// The same from its parts, 2-D or 3-D by x's rank; `bias` may be undefined.
torch::Tensor convolution(const torch::Tensor& x, const torch::Tensor& weight,
                          const torch::Tensor& bias, at::IntArrayRef stride,
                          at::IntArrayRef padding, at::IntArrayRef dilation,
                          std::int64_t groups = 1);

}  // namespace atelier::nn
