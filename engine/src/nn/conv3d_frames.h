// A batch-1 3-D convolution computed as one 2-D convolution over the clip's frames.
//
// LibTorch 1.13 runs a batch-1 Conv3d through oneDNN only when its channels times the first two
// of its three extents exceed 20480; below that it falls back to an im2col + GEMM kernel that is
// 2 to 4 times slower on videogen's 16- and 32-channel layers at the coarse levels, and about 2x
// slower on the 3-channel first layers of its refiners and critic at every level. Folding the
// last extent (time, in videogen's layout) into the batch hands oneDNN a batch of frames: each
// output frame's window of input frames laid side by side as channels, one 2-D convolution with
// the kernel's time slices as its input channels. It is the same arithmetic as the 3-D
// convolution (up to rounding), made of differentiable operations, so training and the gradient
// penalty see no difference.
#pragma once

#include <torch/nn/modules/conv.h>

namespace atelier::nn {

// Whether `conv` on `x` (N x C x D1 x D2 x D3) is a case LibTorch sends to its slow kernel and
// the frame form is faster (measured: batch 1, stride 1, groups 1, zero padding, no dilation
// along the last extent; on the CPU).
bool conv3d_prefers_frames(const torch::nn::Conv3dImpl& conv, const torch::Tensor& x);

// conv->forward(x) through 2-D convolutions over the last extent; any case conv3d_prefers_frames
// accepts except for the size and device tests (batch 1 and the options above).
torch::Tensor conv3d_by_frames(const torch::nn::Conv3dImpl& conv, const torch::Tensor& x);

}  // namespace atelier::nn
