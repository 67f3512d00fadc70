// The networks of disentangle (and masktransfer, which shares them).
//
//   Encoder    stride-2 4x4 convs, instance norm and LeakyReLU on every layer (optionally
//              Permuted AdaIN after each), then a 3x3 conv to the code: C x grid x grid.
//   Decoder    4x4 stride-2 transposed convs with LeakyReLU from a code grid up to the image;
//              no normalisation, so that scaling a code scales its effect (strength sliders).
//   LatentDiscriminator   a small conv net on the common code: logit "this code came from A".
//   DomainCritic          a small patch classifier on images: where do they look like A, like B.
//   TransferNets          Ec, EsA, EsB and the generator, with the operations built from them.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <vector>

#include "atelier/disentangle.h"
#include "nn/permuted_adain.h"

namespace atelier::disentangle {

struct EncoderOptions {
  int image_size = 64;
  int grid = 8;
  int out_channels = 32;
  int channels = 32;
  int max_channels = 256;
  double slope = 0.2;
  double padain_p = 0;
  int depth = 0;  // extra 3x3 conv layers at the code grid (a wider view for small codes)
};

class EncoderImpl : public torch::nn::Module {
 public:
  explicit EncoderImpl(const EncoderOptions& options);
  torch::Tensor forward(torch::Tensor x);
  void set_padain_p(double p);

 private:
  std::vector<torch::nn::Conv2d> convs_;
  std::vector<torch::nn::InstanceNorm2d> norms_;
  std::vector<nn::PermutedAdaIN> padain_;
  std::vector<torch::nn::Conv2d> extra_;
  std::vector<torch::nn::InstanceNorm2d> extra_norms_;
  torch::nn::Conv2d head_{nullptr};
  double slope_;
};
TORCH_MODULE(Encoder);

struct DecoderOptions {
  int in_channels = 32;
  int grid = 8;
  int image_size = 64;
  int out_channels = 3;
  int channels = 32;  // width of the last hidden layer; doubles towards the code
  int max_channels = 256;
  double slope = 0.2;
  int depth = 0;                   // 3x3 conv layers at the code grid before upsampling
  bool resize_upsampling = false;  // nearest x2 then 3x3 conv (no checkerboard) instead of a
                                   // 4x4 stride-2 transposed conv
};

class DecoderImpl : public torch::nn::Module {
 public:
  explicit DecoderImpl(const DecoderOptions& options);
  torch::Tensor forward(torch::Tensor x);  // raw output (no final activation)

 private:
  std::vector<torch::nn::Conv2d> first_;
  std::vector<torch::nn::ConvTranspose2d> layers_;  // transposed upsampling
  std::vector<torch::nn::Conv2d> resize_layers_;    // or: resize, then these convs
  double slope_;
};
TORCH_MODULE(Decoder);

class LatentDiscriminatorImpl : public torch::nn::Module {
 public:
  LatentDiscriminatorImpl(int channels, int grid, int width, double slope);
  torch::Tensor forward(const torch::Tensor& code);  // N logits

 private:
  torch::nn::Sequential body_{nullptr};
  torch::nn::Linear out_{nullptr};
};
TORCH_MODULE(LatentDiscriminator);

// The patch domain critic: logits per patch of about 18 px, N x 3 x S/4 x S/4, one channel each:
//   kDomainVerdict   > 0 "looks like A", < 0 "like B";
//   kAttributeA/B    "this patch of an A (B) image shows A's (B's) attribute", learnt against
//                    every patch of the other domain (domain_critic_loss).
class DomainCriticImpl : public torch::nn::Module {
 public:
  static constexpr int kDomainVerdict = 0, kAttributeA = 1, kAttributeB = 2;

  DomainCriticImpl(int width, double slope);
  torch::Tensor forward(const torch::Tensor& x);  // N x 3 x S/4 x S/4 logits
  // One channel (kDomainVerdict, ...) of forward's logits: N x 1 x S/4 x S/4.
  static torch::Tensor channel(const torch::Tensor& logits, int c);

 private:
  torch::nn::Sequential body_{nullptr};
};
TORCH_MODULE(DomainCritic);

// The domain critic's loss on real images, from its logits on a batch of A images and one of B
// images. The verdict: every patch of an A image is labelled A, of a B image B, so patches of the
// shared content end up undecided and those of the attributes confident. Each attribute channel:
// every patch of its own domain's images against every patch of the other domain's. Patches of
// the other domain's own attribute are among those negatives. Leaving them out (they were, under
// the other layer's mask) let "dark here" count as evidence of both attributes: the A layer's
// mask settled on the dark parts of any picture, painted as much on B pictures as on
// A pictures, and it missed light digits (recall 0.18-0.30 against 0.73-0.81 for dark ones on the
// mixed-contrast 600-pair set). With every patch a negative, light and dark digits are found
// alike (0.42-0.50 and 0.39-0.66) and transfers rose, e.g. 52/60 -> 73/82 % there. So A's
// channel now learns the verdict's targets, and B's their complement. Such a critic locates thin
// attributes poorly: trained alone on that set, it was confident in 28 % of the cells of the
// digits' boxes (9 % far from them) after 3000 steps; with the items' true boxes (from the set's
// manifest) left out of the digits' negatives, 64 % (9 %) after 800 steps.
torch::Tensor domain_critic_loss(const torch::Tensor& on_a, const torch::Tensor& on_b);

// BCE of logits against a constant probability (0, 0.5 or 1; the original code's integer labels
// could not say 0.5).
torch::Tensor bce(const torch::Tensor& logits, double target);

// One domain's attribute layer: colour in [-1, 1] and a soft mask in [0, 1].
struct Layer {
  torch::Tensor rgb;    // N x 3 x S x S
  torch::Tensor alpha;  // N x 1 x S x S
};

// Codes of a batch, and (layered generator) the attribute layers their separate codes render.
struct Codes {
  torch::Tensor common, a, b;
  Layer layer_a, layer_b;  // undefined for the concat generator
};

class TransferNetsImpl : public torch::nn::Module {
 public:
  explicit TransferNetsImpl(const DisentangleParams& params);

  bool layered() const { return layered_; }
  const DisentangleParams& params() const { return params_; }

  // x in [-1, 1]: separate codes first, then (layered with erasure) the attribute layers they
  // render, erased from what Ec sees; then the common code. `extra_erase` (N x 1 x S x S or
  // undefined) adds regions to erase (training's random boxes).
  Codes encode(const torch::Tensor& x, const torch::Tensor& extra_erase = {});

  // Layered: the attribute layer of a separate code (A or B).
  Layer layer(const torch::Tensor& code, Attribute attribute);
  torch::Tensor background(const torch::Tensor& common);  // layered: the base image

  // G(common, a, b). Layered: layers over the background, A's over B's.
  torch::Tensor generate(const torch::Tensor& common, const torch::Tensor& a,
                         const torch::Tensor& b);
  // The same with layers already rendered (layered only).
  static torch::Tensor compose(const torch::Tensor& base, const Layer& a, const Layer& b);

  torch::Tensor zeros_a(std::int64_t n) const;  // separate codes of zeros
  torch::Tensor zeros_b(std::int64_t n) const;
  void set_padain_p(double p);

  Encoder ec{nullptr}, es_a{nullptr}, es_b{nullptr};
  Decoder base{nullptr};                   // layered: background from the common code
  Decoder dec_a{nullptr}, dec_b{nullptr};  // layered: attribute layers (3 colour + 1 mask)
  Decoder gen{nullptr};                    // concat: the paper's generator

 private:
  DisentangleParams params_;
  bool layered_ = false;
  torch::TensorOptions options() const;
  // An attribute encoder's code; with separate_colour, its colour channels appended.
  torch::Tensor separate_code(EncoderImpl& encoder, const torch::Tensor& x);
};
TORCH_MODULE(TransferNets);

// Gradient-free weight init shared by the networks: N(0, 0.02) convs, biases 0, and the mask
// outputs of the attribute decoders biased towards "no attribute".
void init_weights(TransferNetsImpl& nets);

}  // namespace atelier::disentangle
