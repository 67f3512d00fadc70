#include "methods/padain/network.h"

#include <torch/nn/functional/activation.h>
#include <torch/torch.h>

#include <string>

namespace atelier::padain {
namespace {

torch::nn::Conv2d conv3x3(int in, int out, int stride) {
  return torch::nn::Conv2d(
      torch::nn::Conv2dOptions(in, out, 3).stride(stride).padding(1).bias(false));
}

}  // namespace

ResidualBlockImpl::ResidualBlockImpl(int in_channels, int out_channels, int stride, double p) {
  conv1_ = register_module("conv1", conv3x3(in_channels, out_channels, stride));
  swap1_ = register_module("swap1", nn::PermutedAdaIN(p));
  norm1_ = register_module("norm1", nn::SyncBatchNorm2d(out_channels));
  conv2_ = register_module("conv2", conv3x3(out_channels, out_channels, 1));
  swap2_ = register_module("swap2", nn::PermutedAdaIN(p));
  norm2_ = register_module("norm2", nn::SyncBatchNorm2d(out_channels));
  shortcut_ = torch::nn::Sequential();
  if (stride != 1 || in_channels != out_channels) {
    shortcut_->push_back(torch::nn::Conv2d(
        torch::nn::Conv2dOptions(in_channels, out_channels, 1).stride(stride).bias(false)));
    shortcut_->push_back(nn::SyncBatchNorm2d(out_channels));
  }
  register_module("shortcut", shortcut_);
}

torch::Tensor ResidualBlockImpl::forward(const torch::Tensor& x) {
  torch::Tensor h = torch::relu(norm1_->forward(swap1_->forward(conv1_->forward(x))));
  h = norm2_->forward(swap2_->forward(conv2_->forward(h)));
  const torch::Tensor skip = shortcut_->is_empty() ? x : shortcut_->forward(x);
  return torch::relu(h + skip);
}

RobustClassifierImpl::RobustClassifierImpl(int in_channels, int classes, int width, int blocks,
                                           double p)
    : in_channels_(in_channels) {
  stem_ = torch::nn::Sequential(conv3x3(in_channels, width, 1), nn::SyncBatchNorm2d(width),
                                torch::nn::ReLU());
  register_module("stem", stem_);
  int channels = width;
  for (int b = 0; b < blocks; ++b) {
    const int out = width << b;
    blocks_.push_back(ResidualBlock(channels, out, /*stride=*/2, p));
    register_module("block" + std::to_string(b), blocks_.back());
    channels = out;
  }
  head_ = register_module("head", torch::nn::Linear(channels, classes));
}

void RobustClassifierImpl::split_batch(const std::shared_ptr<const nn::BatchSplit>& split) {
  for (const auto& module : modules(/*include_self=*/false)) {
    if (auto* norm = module->as<nn::SyncBatchNorm2dImpl>()) norm->set_split(split);
    if (auto* swap = module->as<nn::PermutedAdaINImpl>()) swap->set_split(split);
  }
}

torch::Tensor RobustClassifierImpl::forward(const torch::Tensor& images) {
  torch::Tensor h = stem_->forward(images * 2 - 1);
  for (auto& block : blocks_) h = block->forward(h);
  return head_->forward(h.mean({2, 3}));
}

}  // namespace atelier::padain
