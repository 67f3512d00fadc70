#include "nn/train_utils.h"

#include <torch/nn/modules/conv.h>

#include <cmath>

namespace atelier::nn {

void set_trainable(torch::nn::Module& module, bool on) {
  for (auto& p : module.parameters()) p.set_requires_grad(on);
}

FrozenWeights::FrozenWeights(const std::vector<torch::nn::Module*>& modules) {
  for (torch::nn::Module* m : modules) {
    if (!m) continue;
    for (auto& p : m->parameters()) {
      if (p.requires_grad()) {
        p.set_requires_grad(false);
        params_.push_back(p);
      }
    }
  }
}

FrozenWeights::~FrozenWeights() {
  for (auto& p : params_) p.set_requires_grad(true);
}

void set_stage_learning_rates(torch::optim::Adam& generators, const std::vector<int>& ages,
                              double lr_g, double lr_scale, torch::optim::Adam* critic, double lr_d,
                              double decay) {
  auto& groups = generators.param_groups();
  for (std::size_t i = 0; i < groups.size(); ++i) {
    static_cast<torch::optim::AdamOptions&>(groups[i].options())
        .lr(lr_g * std::pow(lr_scale, ages.at(i)) * decay);
  }
  if (!critic) return;
  for (auto& group : critic->param_groups()) {
    static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr_d * decay);
  }
}

void copy_weights(const torch::nn::Module& from, torch::nn::Module& to) {
  torch::NoGradGuard no_grad;
  auto source = from.named_parameters();
  for (auto& p : to.named_parameters()) p.value().copy_(source[p.key()]);
  auto buffers = from.named_buffers();
  for (auto& b : to.named_buffers()) b.value().copy_(buffers[b.key()]);
}

double conv_forward_flops(const torch::nn::Module& module, int height, int width) {
  double flops = 0;
  for (const auto& child : module.modules(/*include_self=*/true)) {
    if (const auto* conv = child->as<torch::nn::Conv2d>()) {
      const auto& w = conv->weight;  // out x in x kh x kw
      flops += 2.0 * static_cast<double>(w.numel()) * height * width;
    }
  }
  return flops;
}

double conv3d_forward_flops(const torch::nn::Module& module, int frames, int height, int width) {
  double flops = 0;
  for (const auto& child : module.modules(/*include_self=*/true)) {
    if (const auto* conv = child->as<torch::nn::Conv3d>()) {
      flops += 2.0 * static_cast<double>(conv->weight.numel()) * frames * height * width;
    }
  }
  return flops;
}

}  // namespace atelier::nn
