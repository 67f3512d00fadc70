#include "nn/conv_block.h"

#include <torch/nn/functional/activation.h>
#include <torch/nn/init.h>

#include "nn/batch_norm.h"
#include "nn/convolution.h"
#include "nn/leaky_relu.h"

namespace atelier::nn {

ConvBlockImpl::ConvBlockImpl(const ConvBlockOptions& options)
    : slope_(options.slope), norm_per_picture_(options.norm_per_picture) {
  conv = register_module(
      "conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(options.in_channels, options.out_channels,
                                                         options.kernel)
                                    .padding(options.padding)));
  if (options.batch_norm) {
    norm = register_module("norm", torch::nn::BatchNorm2d(options.out_channels));
  }
}

torch::Tensor ConvBlockImpl::forward(const torch::Tensor& x) {
  torch::Tensor y = conv2d(*conv, x);
  if (norm && norm_per_picture_) {
    torch::Tensor side_by_side =
        norm->is_training() ? batch_norm_per_picture(y, *norm) : norm_by_own_statistics(y, *norm);
    // In place before the view: autograd would copy a view's whole base in the backward of an
    // in-place change.
    leaky_relu_(side_by_side, slope_);
    return side_by_side.view(y.sizes());
  }
  if (norm) y = norm->is_training() ? batch_norm_train(y, *norm) : norm->forward(y);
  return leaky_relu_(y, slope_);
}

void init_gan_weights(torch::nn::Module& module) {
  torch::NoGradGuard no_grad;
  auto init_one = [](torch::nn::Module& m) {
    if (auto* conv = m.as<torch::nn::Conv2d>()) {
      torch::nn::init::normal_(conv->weight, 0.0, 0.02);
      if (conv->bias.defined()) torch::nn::init::zeros_(conv->bias);
    } else if (auto* conv3 = m.as<torch::nn::Conv3d>()) {
      torch::nn::init::normal_(conv3->weight, 0.0, 0.02);
      if (conv3->bias.defined()) torch::nn::init::zeros_(conv3->bias);
    } else if (auto* norm = m.as<torch::nn::BatchNorm2d>()) {
      torch::nn::init::normal_(norm->weight, 1.0, 0.02);
      torch::nn::init::zeros_(norm->bias);
    } else if (auto* norm3 = m.as<torch::nn::BatchNorm3d>()) {
      torch::nn::init::normal_(norm3->weight, 1.0, 0.02);
      torch::nn::init::zeros_(norm3->bias);
    }
  };
  // modules(false): a module still under construction is not yet owned by a shared_ptr.
  init_one(module);
  for (auto& child : module.modules(/*include_self=*/false)) init_one(*child);
}

}  // namespace atelier::nn
