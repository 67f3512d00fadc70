#include "methods/videogen/networks.h"

#include <torch/nn/functional/activation.h>
#include <torch/nn/functional/upsampling.h>

#include <string>

#include "nn/batch_norm.h"
#include "nn/conv3d_frames.h"
#include "nn/conv_block.h"
#include "nn/convolution.h"
#include "nn/leaky_relu.h"

namespace atelier::videogen {
namespace {

// 3x3x3, same size out; `dilation` applies to space (the first two extents of the conv layout).
// With `replicate_time` the conv does not pad time itself: conv_forward repeats the end frames.
torch::nn::Conv3d conv3(int in, int out, int dilation = 1, bool replicate_time = false) {
  return torch::nn::Conv3d(torch::nn::Conv3dOptions(in, out, 3)
                               .padding({dilation, dilation, replicate_time ? 0 : 1})
                               .dilation({dilation, dilation, 1}));
}

// `conv` (from conv3) on x in the conv layout, time last. Zeros beyond a clip's ends would make
// its first and last frames differ from the rest even where the clip holds still (and the
// levels compound it): a visible flicker at both ends of every sample.
// The end frames are repeated by a concatenation: LibTorch's replication padding took twice as
// long forward and backward. Small batch-1 layers go through nn::conv3d_by_frames, 2-4x faster.
torch::Tensor conv_forward(torch::nn::Conv3d& conv, const torch::Tensor& x, bool replicate_time) {
  const std::int64_t last = x.size(4) - 1;
  const torch::Tensor padded =
      replicate_time ? torch::cat({x.narrow(4, 0, 1), x, x.narrow(4, last, 1)}, 4) : x;
  return nn::conv3d_prefers_frames(*conv, padded) ? nn::conv3d_by_frames(*conv, padded)
                                                  : nn::conv3d(*conv, padded);
}

// LibTorch 1.13 runs a batch-1 Conv3d through oneDNN only when channels x the first two of its
// three extents are large; with time first (T x H x W) our 32-channel layers fell to a kernel
// 50x slower. The networks therefore convolve clips laid out H x W x T (the kernels are 3x3x3,
// so this is only a naming of axes) and hand them back T x H x W.
torch::Tensor to_conv_layout(const torch::Tensor& clip) {
  return clip.permute({0, 1, 3, 4, 2});
}
torch::Tensor from_conv_layout(const torch::Tensor& x) {
  return x.permute({0, 1, 4, 2, 3});
}

// x (conv layout N x C x H x W x T) with two more channels: each voxel's row and column in
// [-1, 1], the same in every frame (so longer clips see the same layout).
torch::Tensor with_coordinates(const torch::Tensor& x) {
  const auto n = x.size(0), h = x.size(2), w = x.size(3), t = x.size(4);
  const auto options = x.options();
  const torch::Tensor rows =
      torch::linspace(-1, 1, h, options).view({1, 1, h, 1, 1}).expand({n, 1, h, w, t});
  const torch::Tensor columns =
      torch::linspace(-1, 1, w, options).view({1, 1, 1, w, 1}).expand({n, 1, h, w, t});
  return torch::cat({x, rows, columns}, 1);
}

// Head and body: layers - 1 blocks of `width` channels.
torch::nn::Sequential blocks(const NetOptions& o) {
  torch::nn::Sequential s;
  const int in_channels = o.in_channels + (o.coordinates ? 2 : 0);
  for (int i = 0; i < o.layers - 1; ++i) {
    s->push_back(Block3d(i == 0 ? in_channels : o.width, o.width, o.batch_norm, o.slope,
                         o.dilated ? 1 << i : 1, o.replicate_time));
  }
  return s;
}

// What the encoder, decoder and refiners share: width, depth, norm, slope and time padding.
NetOptions generator_like(const VideogenParams& p, int in_channels, int out_channels) {
  NetOptions o{in_channels, out_channels, p.channels, p.layers, p.batch_norm, p.leaky_slope};
  o.replicate_time = p.replicate_time_padding;
  return o;
}

}  // namespace

NetOptions encoder_options(const VideogenParams& p) {
  NetOptions o = generator_like(p, 3, p.latent_channels);
  o.dilated = p.vae_dilated;
  return o;
}
NetOptions decoder_options(const VideogenParams& p) {
  NetOptions o = generator_like(p, p.latent_channels, 3);
  o.dilated = p.vae_dilated;
  o.coordinates = p.vae_coordinates;
  return o;
}
NetOptions generator_options(const VideogenParams& p) {
  return generator_like(p, 3, 3);
}
NetOptions critic_options(const VideogenParams& p) {
  return {3, 1, p.channels, p.layers, false, p.leaky_slope};
}

Block3dImpl::Block3dImpl(int in_channels, int out_channels, bool batch_norm, double slope,
                         int dilation, bool replicate_time)
    : slope_(slope), replicate_time_(replicate_time) {
  conv = register_module("conv", conv3(in_channels, out_channels, dilation, replicate_time));
  if (batch_norm) norm = register_module("norm", torch::nn::BatchNorm3d(out_channels));
}

torch::Tensor Block3dImpl::forward(const torch::Tensor& x) {
  torch::Tensor y = conv_forward(conv, x, replicate_time_);
  // Every network here trains on one clip at a time, so outside training too each clip is
  // normalised by its own statistics (see nn::norm_by_own_statistics).
  if (norm) {
    y = norm->is_training() ? nn::batch_norm_train(y, *norm) : nn::norm_by_own_statistics(y, *norm);
  }
  return nn::leaky_relu_(y, slope_);
}

VaeEncoderImpl::VaeEncoderImpl(const NetOptions& o) : replicate_time_(o.replicate_time) {
  features = register_module("features", blocks(o));
  mu = register_module("mu", conv3(o.width, o.out_channels, 1, o.replicate_time));
  logvar = register_module("logvar", conv3(o.width, o.out_channels, 1, o.replicate_time));
  nn::init_gan_weights(*this);
}

Encoded VaeEncoderImpl::forward(const torch::Tensor& clip) {
  const torch::Tensor h = features->forward(to_conv_layout(clip));
  return {from_conv_layout(conv_forward(mu, h, replicate_time_)),
          from_conv_layout(conv_forward(logvar, h, replicate_time_))};
}

VaeDecoderImpl::VaeDecoderImpl(const NetOptions& o)
    : coordinates_(o.coordinates), replicate_time_(o.replicate_time) {
  features = register_module("features", blocks(o));
  tail = register_module("tail", conv3(o.width, o.out_channels, 1, o.replicate_time));
  nn::init_gan_weights(*this);
}

torch::Tensor VaeDecoderImpl::forward(const torch::Tensor& latent) {
  torch::Tensor x = to_conv_layout(latent);
  if (coordinates_) x = with_coordinates(x);
  return from_conv_layout(torch::tanh(conv_forward(tail, features->forward(x), replicate_time_)));
}

LevelGeneratorImpl::LevelGeneratorImpl(const NetOptions& o) : replicate_time_(o.replicate_time) {
  features = register_module("features", blocks(o));
  tail = register_module("tail", conv3(o.width, o.out_channels, 1, o.replicate_time));
  nn::init_gan_weights(*this);
}

torch::Tensor LevelGeneratorImpl::forward(const torch::Tensor& prev, const torch::Tensor& noise,
                                          double amp) {
  const torch::Tensor input = noise.defined() && amp > 0 ? prev + amp * noise : prev;
  const torch::Tensor features_out = features->forward(to_conv_layout(input));
  return prev + from_conv_layout(torch::tanh(conv_forward(tail, features_out, replicate_time_)));
}

CriticImpl::CriticImpl(const NetOptions& o) : slope(o.slope) {
  for (int i = 0; i < o.layers; ++i) {
    const int in = i == 0 ? o.in_channels : o.width;
    const int out = i + 1 == o.layers ? 1 : o.width;
    convs.push_back(register_module("conv" + std::to_string(i), nn::SpectralConv3d(in, out, 3, 1)));
  }
  nn::init_gan_weights(*this);
}

torch::Tensor CriticImpl::forward(const torch::Tensor& clip) {
  torch::Tensor x = to_conv_layout(clip);
  for (std::size_t i = 0; i < convs.size(); ++i) {
    x = convs[i]->forward(x);
    if (i + 1 < convs.size()) nn::leaky_relu_(x, slope);
  }
  return from_conv_layout(x);
}

torch::Tensor resize_clip(const torch::Tensor& clip, int frames, int height, int width) {
  if (clip.size(2) == frames && clip.size(3) == height && clip.size(4) == width) return clip;
  namespace F = torch::nn::functional;
  return F::interpolate(clip, F::InterpolateFuncOptions()
                                  .size(std::vector<std::int64_t>{frames, height, width})
                                  .mode(torch::kTrilinear)
                                  .align_corners(false));
}

}  // namespace atelier::videogen
