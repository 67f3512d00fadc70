// Videogen's networks: 3-D convolutional, fully convolutional in time and space, so the networks
// trained on one clip run on longer clips too.
//
//   VaeEncoder:     clip (3 ch) -> latent mean and log-variance maps (latent_channels), same size
//   VaeDecoder:     latent map -> clip (tanh)
//   LevelGenerator: out = prev + tanh(net(prev + amp * noise)), prev the upsampled coarser clip
//   Critic:         spectrally normalised 3-D patch critic, a map of scores
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

#include "atelier/videogen.h"
#include "nn/spectral_norm.h"

namespace atelier::videogen {

struct NetOptions {
  int in_channels = 3;
  int out_channels = 3;
  int width = 64;
  int layers = 5;  // head + layers - 2 body blocks + tail
  bool batch_norm = true;
  double slope = 0.2;
  bool dilated = false;  // block i dilates 2^i in space (the tail and heads do not)
  bool coordinates = false;  // the input also gets 2 channels: each voxel's row and column
  bool replicate_time = false;  // convolutions see the first and last frames repeated beyond
                                // the clip's ends, not zeros (space is zero-padded either way)
};

NetOptions encoder_options(const VideogenParams& params);
NetOptions decoder_options(const VideogenParams& params);
NetOptions generator_options(const VideogenParams& params);
NetOptions critic_options(const VideogenParams& params);

// 3x3x3 convolution (same size out; `dilation` in space), optional BatchNorm3d, LeakyReLU.
class Block3dImpl : public torch::nn::Module {
 public:
  Block3dImpl(int in_channels, int out_channels, bool batch_norm, double slope, int dilation = 1,
              bool replicate_time = false);
  torch::Tensor forward(const torch::Tensor& x);

  torch::nn::Conv3d conv{nullptr};
  torch::nn::BatchNorm3d norm{nullptr};  // null without batch_norm

 private:
  double slope_;
  bool replicate_time_;
};
TORCH_MODULE(Block3d);

struct Encoded {
  torch::Tensor mu;
  torch::Tensor logvar;
};

class VaeEncoderImpl : public torch::nn::Module {
 public:
  explicit VaeEncoderImpl(const NetOptions& options);
  Encoded forward(const torch::Tensor& clip);

  torch::nn::Sequential features{nullptr};
  torch::nn::Conv3d mu{nullptr};
  torch::nn::Conv3d logvar{nullptr};

 private:
  bool replicate_time_ = false;
};
TORCH_MODULE(VaeEncoder);

class VaeDecoderImpl : public torch::nn::Module {
 public:
  explicit VaeDecoderImpl(const NetOptions& options);
  torch::Tensor forward(const torch::Tensor& latent);

  torch::nn::Sequential features{nullptr};
  torch::nn::Conv3d tail{nullptr};

 private:
  bool coordinates_ = false;
  bool replicate_time_ = false;
};
TORCH_MODULE(VaeDecoder);

class LevelGeneratorImpl : public torch::nn::Module {
 public:
  explicit LevelGeneratorImpl(const NetOptions& options);
  // `noise` undefined or amp == 0: no noise.
  torch::Tensor forward(const torch::Tensor& prev, const torch::Tensor& noise, double amp);

  torch::nn::Sequential features{nullptr};
  torch::nn::Conv3d tail{nullptr};

 private:
  bool replicate_time_ = false;
};
TORCH_MODULE(LevelGenerator);

class CriticImpl : public torch::nn::Module {
 public:
  explicit CriticImpl(const NetOptions& options);
  torch::Tensor forward(const torch::Tensor& clip);

  std::vector<nn::SpectralConv3d> convs;  // the last one outputs the score map
  double slope = 0.2;
};
TORCH_MODULE(Critic);

// 1 x C x T x H x W resized to frames x height x width: trilinear.
torch::Tensor resize_clip(const torch::Tensor& clip, int frames, int height, int width);

}  // namespace atelier::videogen
