#include "nn/leaky_relu.h"

#include <ATen/ops/leaky_relu.h>
#include <ATen/ops/leaky_relu_backward.h>
#include <torch/autograd.h>

namespace atelier::nn {
namespace {

using torch::Tensor;
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// The first derivative as a function of g, given the activation's result y (not differentiated).
struct LeakyReluGradient : torch::autograd::Function<LeakyReluGradient> {
  static Tensor forward(AutogradContext* ctx, const Tensor& g, const Tensor& y, double slope) {
    ctx->save_for_backward({y});
    ctx->saved_data["slope"] = slope;
    return at::leaky_relu_backward(g, y, slope, /*self_is_result=*/true);
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const Tensor y = ctx->get_saved_variables()[0];
    const double slope = ctx->saved_data["slope"].toDouble();
    return {at::leaky_relu_backward(grads[0], y, slope, /*self_is_result=*/true), Tensor(),
            Tensor()};
  }
};

struct LeakyReluInPlace : torch::autograd::Function<LeakyReluInPlace> {
  static Tensor forward(AutogradContext* ctx, Tensor x, double slope) {
    at::leaky_relu_(x, slope);
    ctx->mark_dirty({x});
    ctx->save_for_backward({x});
    ctx->saved_data["slope"] = slope;
    return x;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const Tensor y = ctx->get_saved_variables()[0];
    return {LeakyReluGradient::apply(grads[0], y, ctx->saved_data["slope"].toDouble()), Tensor()};
  }
};

}  // namespace

Tensor leaky_relu_(Tensor& x, double slope) {
  // LibTorch's own operation where autograd needs nothing, or would have to rebase a view.
  if (!torch::GradMode::is_enabled() || !x.requires_grad() || x.is_view()) {
    return at::leaky_relu_(x, slope);
  }
  return LeakyReluInPlace::apply(x, slope);
}

}  // namespace atelier::nn
