#include "nn/patch_nets.h"

#include <algorithm>
#include <string>

#include "atelier/error.h"
#include "nn/convolution.h"

namespace atelier::nn {
namespace {

// Head + body as a Sequential; returns the width of its last block through `last_width`.
torch::nn::Sequential make_features(const PatchNetOptions& o, int& last_width) {
  if (o.layers < 2) throw usage_error("patch network: layers must be at least 2");
  if (o.width <= 0 || o.min_width <= 0) throw usage_error("patch network: widths must be positive");
  torch::nn::Sequential seq;
  ConvBlockOptions block;
  block.batch_norm = o.batch_norm;
  block.norm_per_picture = o.norm_per_picture;
  block.slope = o.slope;
  block.in_channels = o.in_channels;
  block.out_channels = o.width;
  seq->push_back("head", ConvBlock(block));
  int width = o.width;
  for (int i = 1; i <= o.layers - 2; ++i) {
    const int next = std::max(o.width >> std::min(i, 30), o.min_width);
    block.in_channels = width;
    block.out_channels = next;
    seq->push_back("body" + std::to_string(i), ConvBlock(block));
    width = next;
  }
  last_width = width;
  return seq;
}

torch::nn::Conv2d make_tail(int in, int out) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1));
}

}  // namespace

int scale_width(int scale, int base, int max_width, int double_every) {
  if (double_every <= 0) return std::min(base, max_width);
  long long width = base;
  for (int i = 0; i < scale / double_every && width < max_width; ++i) width *= 2;
  return static_cast<int>(std::min<long long>(width, max_width));
}

std::int64_t patch_net_weights(const PatchNetOptions& o, int out_channels) {
  // The widths make_features() gives each block, then the 3x3 tail.
  std::int64_t weights = std::int64_t{o.in_channels} * o.width * 9;
  std::int64_t width = o.width;
  for (int i = 1; i <= o.layers - 2; ++i) {
    const std::int64_t next = std::max(o.width >> std::min(i, 30), o.min_width);
    weights += width * next * 9;
    width = next;
  }
  return weights + width * out_channels * 9;
}

PatchGeneratorImpl::PatchGeneratorImpl(const PatchNetOptions& options) : options_(options) {
  int last = 0;
  features = register_module("features", make_features(options, last));
  tail = register_module("tail", make_tail(last, options.out_channels));
  init_gan_weights(*this);
}

torch::Tensor PatchGeneratorImpl::forward(const torch::Tensor& input, const torch::Tensor& prev) {
  torch::Tensor out = torch::tanh(conv2d(*tail, features->forward(input)));
  return options_.residual ? out + prev : out;
}

torch::Tensor PatchGeneratorImpl::generate(const torch::Tensor& noise, const torch::Tensor& prev,
                                           double amp) {
  return forward(amp == 0 ? prev : torch::add(prev, noise, amp), prev);
}

PatchDiscriminatorImpl::PatchDiscriminatorImpl(const PatchNetOptions& options) : options_(options) {
  int last = 0;
  features = register_module("features", make_features(options, last));
  tail = register_module("tail", make_tail(last, 1));
  options_.out_channels = 1;
  init_gan_weights(*this);
}

torch::Tensor PatchDiscriminatorImpl::forward(const torch::Tensor& x) {
  return conv2d(*tail, features->forward(x));
}

}  // namespace atelier::nn
