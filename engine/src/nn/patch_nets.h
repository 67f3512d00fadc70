// The per-scale networks of the SinGAN family (singan, analogy): fully convolutional, so a network
// trained on one size runs at any size, and their receptive field is a patch of the image.
//
//   head:  ConvBlock(in -> width)
//   body:  layers - 2 ConvBlocks, widths width/2, width/4, ... but never below min_width
//   tail:  3x3 conv to out_channels (+ tanh for the generator)
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

#include <cstdint>

#include "nn/conv_block.h"

namespace atelier::nn {

struct PatchNetOptions {
  int in_channels = 3;
  int out_channels = 3;  // the discriminator always outputs 1 channel
  int width = 32;        // channels of the head
  int min_width = 32;    // narrowest body block
  int layers = 5;        // conv layers in all (head + body + tail), at least 2
  bool batch_norm = true;
  // In training, a batch is that many pictures trained one at a time: each is normalised by its
  // own statistics (ConvBlockOptions::norm_per_picture).
  bool norm_per_picture = false;
  double slope = 0.2;  // LeakyReLU
  // Generator only. Residual: out = prev + net(input) (SinGAN, coarse analogy scales). Direct:
  // out = net(input) (analogy's finest scales).
  bool residual = true;
};

// The channel width of scale `scale` (0 = coarsest) in SinGAN: base doubled every `double_every`
// scales, capped at `max_width`. double_every <= 0 keeps `base`.
int scale_width(int scale, int base, int max_width, int double_every);

// The convolution weights of a patch network built with `options` (generator: out_channels;
// discriminator: 1), the least number of values its model file must store.
std::int64_t patch_net_weights(const PatchNetOptions& options, int out_channels);

// The generator of one scale. `input` is what the network sees (typically noise * amp + prev),
// `prev` the upsampled output of the coarser scale (zeros at the coarsest).
class PatchGeneratorImpl : public torch::nn::Module {
 public:
  explicit PatchGeneratorImpl(const PatchNetOptions& options);
  torch::Tensor forward(const torch::Tensor& input, const torch::Tensor& prev);
  // forward(noise * amp + prev, prev): SinGAN's step from one scale to the next.
  torch::Tensor generate(const torch::Tensor& noise, const torch::Tensor& prev, double amp);

  const PatchNetOptions& options() const { return options_; }

  torch::nn::Sequential features{nullptr};  // head + body
  torch::nn::Conv2d tail{nullptr};

 private:
  PatchNetOptions options_;
};
TORCH_MODULE(PatchGenerator);

// The WGAN critic of one scale: a map of patch scores (N x 1 x H x W), no final activation.
class PatchDiscriminatorImpl : public torch::nn::Module {
 public:
  explicit PatchDiscriminatorImpl(const PatchNetOptions& options);
  torch::Tensor forward(const torch::Tensor& x);

  const PatchNetOptions& options() const { return options_; }

  torch::nn::Sequential features{nullptr};
  torch::nn::Conv2d tail{nullptr};

 private:
  PatchNetOptions options_;
};
TORCH_MODULE(PatchDiscriminator);

}  // namespace atelier::nn
