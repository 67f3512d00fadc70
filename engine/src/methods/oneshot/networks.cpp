#include "methods/oneshot/networks.h"

#include <torch/torch.h>

#include <algorithm>
#include <string>

#include "atelier/error.h"
#include "nn/train_utils.h"

namespace atelier::oneshot {
namespace {

using namespace torch::nn;

// Width after `halvings` stride-2 layers (digits: the first layer already halves; photo: the
// stem keeps the size, so its width is channels).
int width(const OneshotParams& p, int halvings) {
  return std::min(p.max_channels, p.channels << std::min(halvings, 20));
}

LeakyReLU leaky(const OneshotParams& p) {
  return LeakyReLU(LeakyReLUOptions().negative_slope(p.leaky_slope));
}

InstanceNorm2d instance_norm(int channels) {
  return InstanceNorm2d(InstanceNorm2dOptions(channels).affine(true));
}

std::vector<Sequential> digits_encoder(const OneshotParams& p) {
  std::vector<Sequential> layers;
  int in = 3;
  for (int i = 0; i < p.downsamplings; ++i) {
    const int out = width(p, i);
    layers.push_back(Sequential(Conv2d(Conv2dOptions(in, out, 4).stride(2).padding(1)), leaky(p)));
    in = out;
  }
  layers.push_back(Sequential(Conv2d(Conv2dOptions(in, p.latent_channels, 3).padding(1))));
  return layers;
}

std::vector<Sequential> digits_decoder(const OneshotParams& p) {
  std::vector<Sequential> layers;
  int in = width(p, p.downsamplings - 1);
  layers.push_back(
      Sequential(Conv2d(Conv2dOptions(p.latent_channels, in, 3).padding(1)), leaky(p)));
  for (int i = p.downsamplings - 1; i >= 0; --i) {
    const bool last = i == 0;
    const int out = last ? 3 : width(p, i - 1);
    Sequential layer;
    if (p.upsampling == "resize") {
      layer->push_back(Upsample(
          UpsampleOptions().scale_factor(std::vector<double>{2, 2}).mode(torch::kNearest)));
      layer->push_back(Conv2d(Conv2dOptions(in, out, 3).padding(1)));
    } else {
      layer->push_back(ConvTranspose2d(ConvTranspose2dOptions(in, out, 4).stride(2).padding(1)));
    }
    if (last)
      layer->push_back(Tanh());
    else
      layer->push_back(leaky(p));
    layers.push_back(layer);
    in = out;
  }
  return layers;
}

std::vector<Sequential> photo_encoder(const OneshotParams& p) {
  std::vector<Sequential> layers;
  layers.push_back(Sequential(Conv2d(Conv2dOptions(3, p.channels, 7).padding(3)),
                              instance_norm(p.channels), ReLU()));
  int in = p.channels;
  for (int i = 1; i <= p.downsamplings; ++i) {
    const int out = width(p, i);
    layers.push_back(Sequential(Conv2d(Conv2dOptions(in, out, 4).stride(2).padding(1)),
                                instance_norm(out), ReLU()));
    in = out;
  }
  Sequential inner;
  for (int i = 0; i < p.res_blocks; ++i) inner->push_back(ResidualBlock(in));
  inner->push_back(Conv2d(Conv2dOptions(in, p.latent_channels, 1)));
  layers.push_back(inner);
  return layers;
}

std::vector<Sequential> photo_decoder(const OneshotParams& p) {
  std::vector<Sequential> layers;
  int in = width(p, p.downsamplings);
  Sequential inner(Conv2d(Conv2dOptions(p.latent_channels, in, 1)), instance_norm(in), ReLU());
  for (int i = 0; i < p.res_blocks; ++i) inner->push_back(ResidualBlock(in));
  layers.push_back(inner);
  for (int i = p.downsamplings - 1; i >= 0; --i) {
    const int out = width(p, i);
    layers.push_back(Sequential(
        Upsample(UpsampleOptions().scale_factor(std::vector<double>{2, 2}).mode(torch::kNearest)),
        Conv2d(Conv2dOptions(in, out, 5).padding(2)), instance_norm(out), ReLU()));
    in = out;
  }
  layers.push_back(Sequential(Conv2d(Conv2dOptions(in, 3, 7).padding(3)), Tanh()));
  return layers;
}

std::vector<Sequential> slice(const std::vector<Sequential>& layers, std::size_t begin,
                              std::size_t end) {
  return {layers.begin() + static_cast<std::ptrdiff_t>(begin),
          layers.begin() + static_cast<std::ptrdiff_t>(end)};
}

}  // namespace

ResidualBlockImpl::ResidualBlockImpl(int channels) {
  body_ =
      register_module("body", Sequential(Conv2d(Conv2dOptions(channels, channels, 3).padding(1)),
                                         instance_norm(channels), ReLU(),
                                         Conv2d(Conv2dOptions(channels, channels, 3).padding(1)),
                                         instance_norm(channels)));
}

torch::Tensor ResidualBlockImpl::forward(const torch::Tensor& x) {
  return x + body_->forward(x);
}

std::vector<Sequential> encoder_layers(const OneshotParams& p) {
  return p.network == "photo" ? photo_encoder(p) : digits_encoder(p);
}

std::vector<Sequential> decoder_layers(const OneshotParams& p) {
  return p.network == "photo" ? photo_decoder(p) : digits_decoder(p);
}

LayerStackImpl::LayerStackImpl(const std::vector<Sequential>& layers) : layers_(layers) {
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    register_module("layer" + std::to_string(i), layers_[i]);
  }
}

torch::Tensor LayerStackImpl::forward(torch::Tensor x) {
  for (auto& layer : layers_) x = layer->forward(x);
  return x;
}

OneshotNetsImpl::OneshotNetsImpl(const OneshotParams& p, bool with_a) : params_(p) {
  const auto own = static_cast<std::size_t>(p.own_layers);
  auto encoder = [&] { return encoder_layers(p); };
  auto decoder = [&] { return decoder_layers(p); };
  // Every call builds fresh layers: the outer parts of A and B are distinct modules.
  const std::size_t enc_n = encoder().size(), dec_n = decoder().size();
  if (own >= enc_n || own >= dec_n) {
    throw bad_input("oneshot: own_layers " + std::to_string(p.own_layers) +
                    " leaves no shared layer");
  }
  enc_b = register_module("enc_b", LayerStack(slice(encoder(), 0, own)));
  enc_shared = register_module("enc_shared", LayerStack(slice(encoder(), own, enc_n)));
  dec_shared = register_module("dec_shared", LayerStack(slice(decoder(), 0, dec_n - own)));
  dec_b = register_module("dec_b", LayerStack(slice(decoder(), dec_n - own, dec_n)));
  if (with_a) {
    enc_a = register_module("enc_a", LayerStack(slice(encoder(), 0, own)));
    dec_a = register_module("dec_a", LayerStack(slice(decoder(), dec_n - own, dec_n)));
  }
}

torch::Tensor OneshotNetsImpl::encode(const torch::Tensor& x, Domain domain) {
  if (domain == Domain::A && !has_a()) throw usage_error("oneshot: a phase I model has no A side");
  return enc_shared->forward((domain == Domain::A ? enc_a : enc_b)->forward(x));
}

torch::Tensor OneshotNetsImpl::decode(const torch::Tensor& code, Domain domain) {
  if (domain == Domain::A && !has_a()) throw usage_error("oneshot: a phase I model has no A side");
  return (domain == Domain::A ? dec_a : dec_b)->forward(dec_shared->forward(code));
}

torch::Tensor OneshotNetsImpl::translate(const torch::Tensor& x, Domain from) {
  return decode(encode(x, from), other(from));
}

void OneshotNetsImpl::copy_b_outer_to_a() {
  nn::copy_weights(*enc_b, *enc_a);
  nn::copy_weights(*dec_b, *dec_a);
}

std::vector<torch::nn::Module*> OneshotNetsImpl::own_modules(Domain domain) const {
  const LayerStack& enc = domain == Domain::A ? enc_a : enc_b;
  const LayerStack& dec = domain == Domain::A ? dec_a : dec_b;
  return std::vector<torch::nn::Module*>{enc.ptr().get(), dec.ptr().get()};
}

std::vector<torch::nn::Module*> OneshotNetsImpl::shared_modules() const {
  return std::vector<torch::nn::Module*>{enc_shared.ptr().get(), dec_shared.ptr().get()};
}

namespace {
std::vector<torch::Tensor> parameters_of(const std::vector<torch::nn::Module*>& modules) {
  std::vector<torch::Tensor> out;
  for (torch::nn::Module* m : modules) {
    if (!m) continue;
    for (const auto& p : m->parameters()) out.push_back(p);
  }
  return out;
}
}  // namespace

std::vector<torch::Tensor> OneshotNetsImpl::own_parameters(Domain domain) const {
  return parameters_of(own_modules(domain));
}

std::vector<torch::Tensor> OneshotNetsImpl::shared_parameters() const {
  return parameters_of(shared_modules());
}

DiscriminatorImpl::DiscriminatorImpl(int channels, int image_size, double slope) {
  auto act = [slope] { return LeakyReLU(LeakyReLUOptions().negative_slope(slope)); };
  body_ = Sequential();
  int in = 3, size = image_size;
  // Stride-2 layers down to an 4x4 grid of patches at 32 px, at most four of them.
  for (int i = 0; i < 4 && size > 4; ++i, size /= 2) {
    const int out = std::min(8 * channels, channels << i);
    body_->push_back(Conv2d(Conv2dOptions(in, out, 4).stride(2).padding(1)));
    body_->push_back(act());
    in = out;
  }
  body_->push_back(Conv2d(Conv2dOptions(in, 1, 3).padding(1)));
  register_module("body", body_);
}

torch::Tensor DiscriminatorImpl::forward(const torch::Tensor& x) {
  return body_->forward(x);
}

Domain other(Domain domain) {
  return domain == Domain::A ? Domain::B : Domain::A;
}

}  // namespace atelier::oneshot
