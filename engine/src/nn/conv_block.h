// The basic layer of the patch networks: 3x3 convolution, optional BatchNorm, LeakyReLU.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

namespace atelier::nn {

struct ConvBlockOptions {
  int in_channels = 3;
  int out_channels = 32;
  int kernel = 3;
  int padding = 1;  // zero padding; 1 keeps the map size for a 3x3 kernel
  bool batch_norm = true;
  double slope = 0.2;  // LeakyReLU's negative slope
  // Each picture of a batch is normalised by its own statistics (batch_norm_per_picture), not by
  // the batch's; outside training too (instance normalisation with the same weights), since the
  // running statistics average pictures unlike the one at hand: a sample, a reconstruction, a
  // translation from the other domain. With them, eval mode gave a network an input it never met in
  // training (and cost analogy's chelsea -> baboon 2.26x instead of 1.95x the mirrored target's
  // patch SWD, singan's baboon samples 1.50x instead of 1.30x).
  bool norm_per_picture = false;
};

class ConvBlockImpl : public torch::nn::Module {
 public:
  explicit ConvBlockImpl(const ConvBlockOptions& options);
  torch::Tensor forward(const torch::Tensor& x);

  torch::nn::Conv2d conv{nullptr};
  torch::nn::BatchNorm2d norm{nullptr};  // null without batch_norm

 private:
  double slope_;
  bool norm_per_picture_;
};
TORCH_MODULE(ConvBlock);

// SinGAN's initialisation: conv weights N(0, 0.02), norm weights N(1, 0.02), biases 0. Applied to
// every Conv2d, Conv3d, BatchNorm2d and BatchNorm3d under `module`.
void init_gan_weights(torch::nn::Module& module);

}  // namespace atelier::nn
