// The networks of oneshot.
//
//   encoder  outer layers (each domain's own)  ->  inner layers + latent head (shared)
//   decoder  latent stem + inner layers (shared)  ->  outer layers + image layer (each domain's)
//
// "digits": 4x4 stride-2 convolutions and LeakyReLU, transposed convolutions back up, no
// normalisation (the paper's small MNIST/SVHN networks). "photo": a 7x7 stem, stride-2
// convolutions with instance norm, residual blocks around the latent, nearest-neighbour
// upsampling with 5x5 convolutions and a 7x7 image layer (the MUNIT/UNIT family the paper's
// photo experiments build on).
//   Discriminator  a patch discriminator: a least-squares logit per patch.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/instancenorm.h>
#include <torch/nn/pimpl.h>

#include <vector>

#include "atelier/oneshot.h"

namespace atelier::oneshot {

using Domain = OneshotDomain;

class ResidualBlockImpl : public torch::nn::Module {
 public:
  explicit ResidualBlockImpl(int channels);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::nn::Sequential body_{nullptr};
};
TORCH_MODULE(ResidualBlock);

// The layers of one side of an autoencoder, in order, as separate Sequentials so that they can
// be split into outer and inner parts.
std::vector<torch::nn::Sequential> encoder_layers(const OneshotParams& params);
std::vector<torch::nn::Sequential> decoder_layers(const OneshotParams& params);

// Layers run one after the other (one part of an encoder or decoder).
class LayerStackImpl : public torch::nn::Module {
 public:
  explicit LayerStackImpl(const std::vector<torch::nn::Sequential>& layers);
  torch::Tensor forward(torch::Tensor x);

 private:
  std::vector<torch::nn::Sequential> layers_;
};
TORCH_MODULE(LayerStack);

// B's encoder and decoder, the shared inner layers and, in phase II, A's own outer layers.
class OneshotNetsImpl : public torch::nn::Module {
 public:
  OneshotNetsImpl(const OneshotParams& params, bool with_a);

  bool has_a() const { return static_cast<bool>(enc_a); }
  const OneshotParams& params() const { return params_; }

  torch::Tensor encode(const torch::Tensor& x, Domain domain);     // the latent code
  torch::Tensor decode(const torch::Tensor& code, Domain domain);  // an image in [-1, 1]
  torch::Tensor translate(const torch::Tensor& x, Domain from);    // decode(encode(x, from), other)

  // Phase II's start: A's outer layers become copies of B's.
  void copy_b_outer_to_a();

  // The parameters of each group: a domain's own outer layers, and the shared inner ones.
  std::vector<torch::Tensor> own_parameters(Domain domain) const;
  std::vector<torch::Tensor> shared_parameters() const;
  std::vector<torch::nn::Module*> own_modules(Domain domain) const;
  std::vector<torch::nn::Module*> shared_modules() const;

  LayerStack enc_b{nullptr}, enc_a{nullptr}, enc_shared{nullptr};
  LayerStack dec_shared{nullptr}, dec_b{nullptr}, dec_a{nullptr};

 private:
  OneshotParams params_;
};
TORCH_MODULE(OneshotNets);

class DiscriminatorImpl : public torch::nn::Module {
 public:
  DiscriminatorImpl(int channels, int image_size, double slope);
  torch::Tensor forward(const torch::Tensor& x);  // N x 1 x P x P logits

 private:
  torch::nn::Sequential body_{nullptr};
};
TORCH_MODULE(Discriminator);

Domain other(Domain domain);

}  // namespace atelier::oneshot
