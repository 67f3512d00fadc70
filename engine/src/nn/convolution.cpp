// See convolution.h. With g = dL/dy, the first derivative is LibTorch's convolution_backward:
//   gx = input gradient of (g, w),  gw = weight gradient of (x, g),  gb = sum(g).
// Its derivative, given a = dL/dgx, alpha = dL/dgw and beta = dL/dgb (the gradient penalty gives
// only a), is linear in each term:
//   dL/dg = conv(a, w) + conv(x, alpha) + beta,
//   dL/dw = weight gradient of (a, g),  dL/dx = input gradient of (g, alpha).
#include "nn/convolution.h"

#include <ATen/ops/convolution.h>
#include <ATen/ops/convolution_backward.h>
#include <torch/autograd.h>

#include <array>
#include <vector>

namespace atelier::nn {
namespace {

using torch::Tensor;
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

struct Geometry {
  std::vector<std::int64_t> stride, padding, dilation;
  std::int64_t groups = 1;

  std::vector<std::int64_t> no_output_padding() const {
    return std::vector<std::int64_t>(stride.size(), 0);
  }
  void save(AutogradContext* ctx) const {
    ctx->saved_data["stride"] = stride;
    ctx->saved_data["padding"] = padding;
    ctx->saved_data["dilation"] = dilation;
    ctx->saved_data["groups"] = groups;
  }
  static Geometry saved(AutogradContext* ctx) {
    return {ctx->saved_data["stride"].toIntVector(), ctx->saved_data["padding"].toIntVector(),
            ctx->saved_data["dilation"].toIntVector(), ctx->saved_data["groups"].toInt()};
  }

  Tensor convolve(const Tensor& x, const Tensor& w, const Tensor& b) const {
    return at::convolution(x, w, b, stride, padding, dilation, /*transposed=*/false,
                           no_output_padding(), groups);
  }
  std::tuple<Tensor, Tensor, Tensor> gradients(const Tensor& g, const Tensor& x, const Tensor& w,
                                               std::array<bool, 3> wanted) const {
    const std::vector<std::int64_t> bias_sizes{w.size(0)};
    return at::convolution_backward(
        g, x, w, wanted[2] ? at::OptionalIntArrayRef(bias_sizes) : c10::nullopt, stride, padding,
        dilation, /*transposed=*/false, no_output_padding(), groups, wanted);
  }
};

Tensor sum_of(const Tensor& a, const Tensor& b) {
  if (!a.defined()) return b;
  return b.defined() ? a + b : a;
}

// The first derivative as a function of (g, x, w), differentiable again.
struct ConvBackward : torch::autograd::Function<ConvBackward> {
  static variable_list forward(AutogradContext* ctx, const Tensor& g, const Tensor& x,
                               const Tensor& w, std::array<bool, 3> wanted,
                               const Geometry& geometry) {
    ctx->set_materialize_grads(false);  // an undefined term costs nothing below
    ctx->save_for_backward({g, x, w});
    geometry.save(ctx);
    auto [gx, gw, gb] = geometry.gradients(g, x, w, wanted);
    // A custom Function's outputs must be tensors; an empty one stands for a gradient not taken.
    const auto or_empty = [&](const Tensor& t) { return t.defined() ? t : g.new_empty({0}); };
    return {or_empty(gx), or_empty(gw), or_empty(gb)};
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const variable_list s = ctx->get_saved_variables();
    const Tensor &g = s[0], &x = s[1], &w = s[2];
    const Tensor &a = grads[0], &alpha = grads[1], &beta = grads[2];
    const Geometry geometry = Geometry::saved(ctx);
    Tensor dg, dx, dw;
    if (ctx->needs_input_grad(0)) {
      if (a.defined()) dg = geometry.convolve(a, w, {});
      if (alpha.defined()) dg = sum_of(dg, geometry.convolve(x, alpha, {}));
      if (beta.defined()) {
        std::vector<std::int64_t> per_channel(g.dim(), 1);
        per_channel[1] = -1;
        dg = sum_of(dg, beta.view(per_channel).expand(g.sizes()));
      }
    }
    if (a.defined() && ctx->needs_input_grad(2)) {
      dw = std::get<1>(geometry.gradients(g, a, w, {false, true, false}));
    }
    if (alpha.defined() && ctx->needs_input_grad(1)) {
      dx = std::get<0>(geometry.gradients(g, x, alpha, {true, false, false}));
    }
    return {dg, dx, dw, Tensor(), Tensor()};
  }
};

struct ConvForward : torch::autograd::Function<ConvForward> {
  // Without a bias, `b` is an empty stand-in: apply() takes only defined tensors.
  static Tensor forward(AutogradContext* ctx, const Tensor& x, const Tensor& w, const Tensor& b,
                        bool bias, const Geometry& geometry) {
    ctx->set_materialize_grads(false);
    ctx->save_for_backward({x, w});
    geometry.save(ctx);
    ctx->saved_data["bias"] = bias;
    return geometry.convolve(x, w, bias ? b : Tensor());
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    if (!grads[0].defined()) return {Tensor(), Tensor(), Tensor(), Tensor(), Tensor()};
    const variable_list s = ctx->get_saved_variables();
    const bool bias = ctx->saved_data["bias"].toBool();
    const std::array<bool, 3> wanted{ctx->needs_input_grad(0), ctx->needs_input_grad(1),
                                     bias && ctx->needs_input_grad(2)};
    const Geometry geometry = Geometry::saved(ctx);
    const variable_list d = ConvBackward::apply(grads[0], s[0], s[1], wanted, geometry);
    const auto taken = [&](std::size_t i) { return wanted[i] ? d[i] : Tensor(); };
    return {taken(0), taken(1), taken(2), Tensor(), Tensor()};
  }
};

}  // namespace

Tensor convolution(const Tensor& x, const Tensor& weight, const Tensor& bias,
                   at::IntArrayRef stride, at::IntArrayRef padding, at::IntArrayRef dilation,
                   std::int64_t groups) {
  Geometry geometry{stride.vec(), padding.vec(), dilation.vec(), groups};
  const bool trained =
      x.requires_grad() || weight.requires_grad() || (bias.defined() && bias.requires_grad());
  if (!torch::GradMode::is_enabled() || !trained) return geometry.convolve(x, weight, bias);
  return ConvForward::apply(x, weight, bias.defined() ? bias : weight.new_empty({0}),
                            bias.defined(), geometry);
}

namespace {
template <std::size_t D, typename Conv>
Tensor module_forward(Conv& conv, const Tensor& x) {
  const auto& o = conv.options;
  const auto* padding = c10::get_if<torch::ExpandingArray<D>>(&o.padding());
  if (padding == nullptr || o.transposed() ||
      !c10::holds_alternative<torch::enumtype::kZeros>(o.padding_mode())) {
    return conv.forward(x);
  }
  return convolution(x, conv.weight, conv.bias, *o.stride(), **padding, *o.dilation(), o.groups());
}
}  // namespace

Tensor conv2d(torch::nn::Conv2dImpl& conv, const Tensor& x) {
  return module_forward<2>(conv, x);
}

Tensor conv3d(torch::nn::Conv3dImpl& conv, const Tensor& x) {
  return module_forward<3>(conv, x);
}

}  // namespace atelier::nn
