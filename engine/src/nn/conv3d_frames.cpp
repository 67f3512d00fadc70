#include "nn/conv3d_frames.h"

#include <torch/nn/functional/padding.h>
#include <torch/torch.h>

#include <vector>

#include "atelier/error.h"
#include "nn/convolution.h"

namespace atelier::nn {
namespace {

// LibTorch 1.13's threshold (ConvParams::use_mkldnn): a batch-1 input whose channels times its
// first two extents are at most this goes to the native kernel.
constexpr std::int64_t kNativeBelow = 20480;

using ConvOptions = torch::nn::detail::ConvNdOptions<3>;

const torch::ExpandingArray<3>* explicit_padding(const ConvOptions& o) {
  return c10::get_if<torch::ExpandingArray<3>>(&o.padding());
}

bool frames_apply(const torch::nn::Conv3dImpl& conv) {
  const ConvOptions& o = conv.options;
  const auto* padding = explicit_padding(o);
  return padding != nullptr && o.groups() == 1 && !o.transposed() &&
         c10::holds_alternative<torch::enumtype::kZeros>(o.padding_mode()) &&
         (*o.stride())[0] == 1 && (*o.stride())[1] == 1 && (*o.stride())[2] == 1 &&
         (*o.dilation())[2] == 1;
}

}  // namespace

bool conv3d_prefers_frames(const torch::nn::Conv3dImpl& conv, const torch::Tensor& x) {
  return x.dim() == 5 && x.size(0) == 1 && x.device().is_cpu() &&
         x.size(1) * x.size(2) * x.size(3) <= kNativeBelow && frames_apply(conv);
}

torch::Tensor conv3d_by_frames(const torch::nn::Conv3dImpl& conv, const torch::Tensor& x) {
  if (x.dim() != 5 || x.size(0) != 1 || !frames_apply(conv)) {
    throw usage_error("conv3d_by_frames: needs a batch-1 clip and a stride-1, ungrouped conv");
  }
  const ConvOptions& o = conv.options;
  const torch::ExpandingArray<3>& padding = *explicit_padding(o);
  namespace F = torch::nn::functional;
  const torch::Tensor padded =
      (*padding)[2] > 0 ? F::pad(x, F::PadFuncOptions({(*padding)[2], (*padding)[2]})) : x;
  const std::int64_t out = conv.weight.size(0), channels = padded.size(1);
  const std::int64_t taps = conv.weight.size(4), frames = padded.size(4) - taps + 1;
  // Output frame t sees input frames t .. t + taps - 1: those frames side by side as the channels
  // of one picture (F x taps*C x D1 x D2), and the kernel's time slices likewise as its input
  // channels. A copy of taps x the input, which is small wherever this form is chosen.
  const torch::Tensor clip = padded[0].permute({3, 0, 1, 2});
  std::vector<torch::Tensor> windows;
  for (std::int64_t j = 0; j < taps; ++j) windows.push_back(clip.narrow(0, j, frames));
  const torch::Tensor kernels =
      conv.weight.permute({0, 4, 1, 2, 3})
          .reshape({out, taps * channels, conv.weight.size(2), conv.weight.size(3)});
  const torch::Tensor y =
      convolution(torch::cat(windows, 1), kernels, conv.bias, {1, 1},
                  {(*padding)[0], (*padding)[1]}, {(*o.dilation())[0], (*o.dilation())[1]});
  return y.permute({1, 2, 3, 0}).unsqueeze(0);
}

}  // namespace atelier::nn
