// WGAN-GP pieces shared by the patch GANs, and SinGAN's noise amplitude rule.
#pragma once

#include <torch/types.h>

#include <functional>

namespace atelier::nn {

using Critic = std::function<torch::Tensor(const torch::Tensor&)>;

enum class PenaltyNorm {
  PerSample,  // ||grad|| over all of a sample's values (Gulrajani et al.)
  PerPixel,   // ||grad|| over the channels at each pixel, averaged (SinGAN's variant)
};

// E[(||d critic(x^) / d x^|| - 1)^2] at x^ = mix * real + (1 - mix) * fake, unweighted. `mix` is
// N x 1 x 1 x 1 (one more 1 for videos) in [0, 1]; undefined draws it uniformly. The result keeps
// the graph (create_graph), so its backward trains the critic. `fake` is detached here.
torch::Tensor gradient_penalty(const Critic& critic, const torch::Tensor& real,
                               const torch::Tensor& fake, PenaltyNorm norm = PenaltyNorm::PerPixel,
                               torch::Tensor mix = {});

// SinGAN's noise amplitude for a new scale: factor * RMSE(real, reconstruction), the
// reconstruction being the coarser scales' output upsampled to this scale.
double noise_amplitude(const torch::Tensor& real, const torch::Tensor& reconstruction,
                       double factor);

}  // namespace atelier::nn
