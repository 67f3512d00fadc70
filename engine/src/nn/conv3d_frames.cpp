#include "nn/conv3d_frames.h"

#include <torch/nn/functional/padding.h>
#include <torch/torch.h>

#include "atelier/error.h"

namespace atelier::nn {
namespace {

// LibTorch 1.13's threshold (ConvParams::use_mkldnn): a batch-1 input whose channels times its
// first two extents are at most this goes to the native kernel.
constexpr std::int64_t kNativeBelow = 20480;
constexpr std::int64_t kMinChannels = 16;  // fewer: the native kernel is as fast (measured)

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
  return x.dim() == 5 && x.size(0) == 1 && x.device().is_cpu() && x.size(1) >= kMinChannels &&
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
  const std::int64_t out = conv.weight.size(0), taps = conv.weight.size(4);
  const std::int64_t frames = padded.size(4) - taps + 1;
  // Frames as a batch (F x C x D1 x D2); the kernel's last-extent slices as output channel groups.
  const torch::Tensor batch = padded[0].permute({3, 0, 1, 2});
  const torch::Tensor kernels =
      conv.weight.permute({4, 0, 1, 2, 3})
          .reshape({taps * out, conv.weight.size(1), conv.weight.size(2), conv.weight.size(3)});
  const torch::Tensor slices = torch::conv2d(batch, kernels, {}, 1, {(*padding)[0], (*padding)[1]},
                                             {(*o.dilation())[0], (*o.dilation())[1]});
  // Output frame t sums slice j of input frame t + j.
  torch::Tensor y = slices.narrow(0, 0, frames).narrow(1, 0, out);
  for (std::int64_t j = 1; j < taps; ++j)
    y = y + slices.narrow(0, j, frames).narrow(1, j * out, out);
  if (conv.bias.defined()) y = y + conv.bias.view({1, out, 1, 1});
  return y.permute({1, 2, 3, 0}).unsqueeze(0);
}

}  // namespace atelier::nn
