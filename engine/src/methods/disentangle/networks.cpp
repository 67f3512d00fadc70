#include "methods/disentangle/networks.h"

#include <torch/nn/functional/activation.h>
#include <torch/nn/functional/pooling.h>
#include <torch/nn/functional/upsampling.h>
#include <torch/torch.h>

#include <algorithm>
#include <string>

#include "atelier/error.h"

namespace atelier::disentangle {
namespace {

namespace F = torch::nn::functional;

// log2(image_size / grid): the number of stride-2 layers between an image and a code grid.
int halvings(int image_size, int grid) {
  int n = 0;
  int size = image_size;
  while (size > grid && size % 2 == 0) {
    size /= 2;
    ++n;
  }
  if (size != grid || n == 0) {
    throw bad_input("disentangle: a code grid of " + std::to_string(grid) +
                    " does not divide the image size " + std::to_string(image_size) +
                    " by a power of two");
  }
  return n;
}

constexpr int kColourChannels = 3;  // of a separate code, with separate_colour
constexpr double kMaskBias = -1.0;  // attribute masks start mostly transparent (sigmoid: 0.27)

}  // namespace

EncoderImpl::EncoderImpl(const EncoderOptions& o) : slope_(o.slope) {
  const int layers = halvings(o.image_size, o.grid);
  int in = 3;
  for (int i = 0; i < layers; ++i) {
    const int width = std::min(o.max_channels, o.channels << i);
    const std::string k = std::to_string(i);
    convs_.push_back(register_module(
        "conv" + k,
        torch::nn::Conv2d(torch::nn::Conv2dOptions(in, width, 4).stride(2).padding(1))));
    norms_.push_back(register_module(
        "norm" + k,
        torch::nn::InstanceNorm2d(torch::nn::InstanceNorm2dOptions(width).affine(true))));
    padain_.push_back(register_module("padain" + k, nn::PermutedAdaIN(o.padain_p)));
    in = width;
  }
  for (int i = 0; i < o.depth; ++i) {
    const std::string k = std::to_string(i);
    extra_.push_back(register_module(
        "extra" + k, torch::nn::Conv2d(torch::nn::Conv2dOptions(in, in, 3).padding(1))));
    extra_norms_.push_back(register_module(
        "extra_norm" + k,
        torch::nn::InstanceNorm2d(torch::nn::InstanceNorm2dOptions(in).affine(true))));
  }
  head_ = register_module(
      "head", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, o.out_channels, 3).padding(1)));
}

torch::Tensor EncoderImpl::forward(torch::Tensor x) {
  for (std::size_t i = 0; i < convs_.size(); ++i) {
    x = F::leaky_relu(norms_[i]->forward(convs_[i]->forward(x)),
                      F::LeakyReLUFuncOptions().negative_slope(slope_));
    x = padain_[i]->forward(x);
  }
  for (std::size_t i = 0; i < extra_.size(); ++i) {
    x = F::leaky_relu(extra_norms_[i]->forward(extra_[i]->forward(x)),
                      F::LeakyReLUFuncOptions().negative_slope(slope_));
  }
  return head_->forward(x);
}

void EncoderImpl::set_padain_p(double p) {
  for (auto& layer : padain_) layer->set_p(p);
}

DecoderImpl::DecoderImpl(const DecoderOptions& o) : slope_(o.slope) {
  const int layers = halvings(o.image_size, o.grid);
  int in = o.in_channels;
  for (int i = 0; i < o.depth; ++i) {
    const int width = std::min(o.max_channels, o.channels << (layers - 1));
    first_.push_back(
        register_module("conv" + std::to_string(i),
                        torch::nn::Conv2d(torch::nn::Conv2dOptions(in, width, 3).padding(1))));
    in = width;
  }
  for (int i = 0; i < layers; ++i) {
    const bool last = i + 1 == layers;
    const int width =
        last ? o.out_channels : std::min(o.max_channels, o.channels << (layers - 2 - i));
    const std::string name = "up" + std::to_string(i);
    if (o.resize_upsampling) {
      resize_layers_.push_back(register_module(
          name, torch::nn::Conv2d(torch::nn::Conv2dOptions(in, width, 3).padding(1))));
    } else {
      layers_.push_back(register_module(
          name, torch::nn::ConvTranspose2d(
                    torch::nn::ConvTranspose2dOptions(in, width, 4).stride(2).padding(1))));
    }
    in = width;
  }
}

torch::Tensor DecoderImpl::forward(torch::Tensor x) {
  for (auto& conv : first_) {
    x = F::leaky_relu(conv->forward(x), F::LeakyReLUFuncOptions().negative_slope(slope_));
  }
  const std::size_t layers = layers_.size() + resize_layers_.size();
  for (std::size_t i = 0; i < layers; ++i) {
    if (resize_layers_.empty()) {
      x = layers_[i]->forward(x);
    } else {
      x = F::interpolate(x, F::InterpolateFuncOptions()
                                .scale_factor(std::vector<double>{2.0, 2.0})
                                .mode(torch::kNearest));
      x = resize_layers_[i]->forward(x);
    }
    if (i + 1 < layers) {
      x = F::leaky_relu(x, F::LeakyReLUFuncOptions().negative_slope(slope_));
    }
  }
  return x;
}

LatentDiscriminatorImpl::LatentDiscriminatorImpl(int channels, int grid, int width, double slope) {
  body_ = torch::nn::Sequential();
  body_->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, width, 3).padding(1)));
  body_->push_back(torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(slope)));
  for (int size = grid; size > 2; size /= 2) {
    body_->push_back(
        torch::nn::Conv2d(torch::nn::Conv2dOptions(width, width, 4).stride(2).padding(1)));
    body_->push_back(torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(slope)));
  }
  register_module("body", body_);
  out_ = register_module("out", torch::nn::Linear(width, 1));
}

torch::Tensor LatentDiscriminatorImpl::forward(const torch::Tensor& code) {
  return out_->forward(body_->forward(code).mean({2, 3})).squeeze(1);
}

DomainCriticImpl::DomainCriticImpl(int width, double slope) {
  using namespace torch::nn;
  auto act = [slope] { return LeakyReLU(LeakyReLUOptions().negative_slope(slope)); };
  body_ = Sequential(Conv2d(Conv2dOptions(3, width, 4).stride(2).padding(1)), act(),
                     Conv2d(Conv2dOptions(width, 2 * width, 4).stride(2).padding(1)), act(),
                     Conv2d(Conv2dOptions(2 * width, 2 * width, 3).padding(1)), act(),
                     Conv2d(Conv2dOptions(2 * width, 3, 1)));
  register_module("body", body_);
}

torch::Tensor DomainCriticImpl::forward(const torch::Tensor& x) {
  return body_->forward(x);
}

torch::Tensor DomainCriticImpl::channel(const torch::Tensor& logits, int c) {
  return logits.narrow(1, c, 1);
}

torch::Tensor domain_critic_loss(const torch::Tensor& on_a, const torch::Tensor& on_b) {
  using Critic = DomainCriticImpl;
  const auto is = [](const torch::Tensor& logits, int channel, double target) {
    return bce(Critic::channel(logits, channel), target);
  };
  return is(on_a, Critic::kDomainVerdict, 1.0) + is(on_b, Critic::kDomainVerdict, 0.0) +
         is(on_a, Critic::kAttributeA, 1.0) + is(on_b, Critic::kAttributeA, 0.0) +
         is(on_b, Critic::kAttributeB, 1.0) + is(on_a, Critic::kAttributeB, 0.0);
}

torch::Tensor bce(const torch::Tensor& logits, double target) {
  return F::binary_cross_entropy_with_logits(logits, torch::full_like(logits, target));
}

TransferNetsImpl::TransferNetsImpl(const DisentangleParams& p) : params_(p) {
  layered_ = p.generator == "layered";
  const int s = p.image_size;
  auto encoder = [&](int grid, int out, int depth) {
    return Encoder(
        EncoderOptions{s, grid, out, p.channels, p.max_channels, p.leaky_slope, p.padain_p, depth});
  };
  ec = register_module("ec", encoder(p.common_grid, p.common_channels, 0));
  const int separate_out = p.separate_channels - (p.separate_colour ? kColourChannels : 0);
  es_a = register_module("es_a", encoder(p.separate_grid, separate_out, p.separate_depth));
  es_b = register_module("es_b", encoder(p.separate_grid, separate_out, p.separate_depth));
  auto decoder = [&](int in, int grid, int out, int depth) {
    return Decoder(DecoderOptions{in, grid, s, out, p.decoder_channels, p.max_channels,
                                  p.leaky_slope, depth, p.decoder_upsampling == "resize"});
  };
  if (layered_) {
    base = register_module("base", decoder(p.common_channels, p.common_grid, 3, 0));
    dec_a = register_module("dec_a",
                            decoder(p.separate_channels, p.separate_grid, 4, p.separate_depth));
    dec_b = register_module("dec_b",
                            decoder(p.separate_channels, p.separate_grid, 4, p.separate_depth));
  } else {
    gen = register_module(
        "gen", decoder(p.common_channels + 2 * p.separate_channels, p.common_grid, 3, 0));
  }
}

torch::TensorOptions TransferNetsImpl::options() const {
  return torch::TensorOptions().dtype(torch::kFloat).device(ec->parameters().front().device());
}

torch::Tensor TransferNetsImpl::zeros_a(std::int64_t n) const {
  return torch::zeros({n, params_.separate_channels, params_.separate_grid, params_.separate_grid},
                      options());
}

torch::Tensor TransferNetsImpl::zeros_b(std::int64_t n) const {
  return zeros_a(n);
}

void TransferNetsImpl::set_padain_p(double p) {
  ec->set_padain_p(p);
  es_a->set_padain_p(p);
  es_b->set_padain_p(p);
}

Layer TransferNetsImpl::layer(const torch::Tensor& code, Attribute attribute) {
  const torch::Tensor out = (attribute == Attribute::A ? dec_a : dec_b)->forward(code);
  return {torch::tanh(out.narrow(1, 0, 3)), torch::sigmoid(out.narrow(1, 3, 1))};
}

torch::Tensor TransferNetsImpl::background(const torch::Tensor& common) {
  return torch::tanh(base->forward(common));
}

torch::Tensor TransferNetsImpl::separate_code(EncoderImpl& encoder, const torch::Tensor& x) {
  const torch::Tensor code = encoder.forward(x);
  if (!params_.separate_colour) return code;
  const int cell = params_.image_size / params_.separate_grid;
  const torch::Tensor colour = F::avg_pool2d(x, F::AvgPool2dFuncOptions(cell));
  return torch::cat({code, colour * code.narrow(1, 0, 1).clamp(0, 1)}, 1);
}

Codes TransferNetsImpl::encode(const torch::Tensor& x, const torch::Tensor& extra_erase) {
  Codes codes;
  codes.a = separate_code(*es_a, x);
  codes.b = separate_code(*es_b, x);
  torch::Tensor seen = x;
  if (layered_) {
    codes.layer_a = layer(codes.a, Attribute::A);
    codes.layer_b = layer(codes.b, Attribute::B);
    if (params_.erase_attributes) {
      // What either attribute covers is hidden from Ec (filled with 0, mid grey), so the common
      // code cannot carry it; the mask is a consequence here, not something Ec may tune. A mask
      // of one half or more hides a pixel entirely: soft masks would leave a ghost to encode.
      torch::Tensor covered = 1 - (1 - codes.layer_a.alpha) * (1 - codes.layer_b.alpha);
      if (extra_erase.defined()) covered = torch::max(covered, extra_erase);
      seen = x * (1 - (2 * covered).clamp_max(1).detach());
    }
  }
  codes.common = ec->forward(seen);
  return codes;
}

torch::Tensor TransferNetsImpl::compose(const torch::Tensor& base_image, const Layer& a,
                                        const Layer& b) {
  const torch::Tensor below = b.alpha * b.rgb + (1 - b.alpha) * base_image;
  return a.alpha * a.rgb + (1 - a.alpha) * below;
}

torch::Tensor TransferNetsImpl::generate(const torch::Tensor& common, const torch::Tensor& a,
                                         const torch::Tensor& b) {
  if (layered_) {
    return compose(background(common), layer(a, Attribute::A), layer(b, Attribute::B));
  }
  const int grid = params_.common_grid;
  auto fit = [grid](const torch::Tensor& code) {
    if (code.size(2) == grid) return code;
    if (code.size(2) < grid) {
      return F::interpolate(
          code,
          F::InterpolateFuncOptions().size(std::vector<int64_t>{grid, grid}).mode(torch::kNearest));
    }
    return F::adaptive_avg_pool2d(code, F::AdaptiveAvgPool2dFuncOptions({grid, grid}));
  };
  return torch::tanh(gen->forward(torch::cat({common, fit(a), fit(b)}, 1)));
}

void init_weights(TransferNetsImpl& nets) {
  torch::NoGradGuard no_grad;
  if (!nets.layered()) return;
  for (Decoder* decoder : {&nets.dec_a, &nets.dec_b}) {
    // The last transposed conv's bias: channel 3 is the mask logit.
    auto params = (*decoder)->named_parameters();
    std::string last_bias;
    for (const auto& p : params) {
      if (p.key().find(".bias") != std::string::npos || p.key() == "bias") last_bias = p.key();
    }
    if (!last_bias.empty()) params[last_bias][3].fill_(kMaskBias);
  }
}

}  // namespace atelier::disentangle
