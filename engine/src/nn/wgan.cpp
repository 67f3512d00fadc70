#include "nn/wgan.h"

#include <torch/autograd.h>

#include <cmath>
#include <cstdint>
#include <vector>

namespace atelier::nn {

torch::Tensor gradient_penalty(const Critic& critic, const torch::Tensor& real,
                               const torch::Tensor& fake, PenaltyNorm norm, torch::Tensor mix) {
  if (!mix.defined()) {
    std::vector<std::int64_t> shape(real.dim(), 1);  // N x 1 x 1 x 1 (x 1 for videos)
    shape[0] = real.size(0);
    mix = torch::rand(shape, real.options());
  }
  torch::Tensor blend = (mix * real.detach() + (1 - mix) * fake.detach()).requires_grad_(true);
  torch::Tensor score = critic(blend);
  torch::Tensor grad = torch::autograd::grad({score.sum()}, {blend}, /*grad_outputs=*/{},
                                             /*retain_graph=*/true, /*create_graph=*/true)[0];
  // Per pixel, the channels are moved innermost first: LibTorch 1.13 takes a norm across an outer
  // dimension about ten times slower than the copy and the inner norm (3 ms a step at 128x128).
  torch::Tensor length = norm == PenaltyNorm::PerPixel
                             ? grad.movedim(1, -1).contiguous().norm(2, /*dim=*/{-1})
                             : grad.flatten(1).norm(2, /*dim=*/{1});
  return (length - 1).pow(2).mean();
}

double noise_amplitude(const torch::Tensor& real, const torch::Tensor& reconstruction,
                       double factor) {
  torch::NoGradGuard no_grad;
  const double mse = torch::mse_loss(reconstruction, real).item<double>();
  return factor * std::sqrt(mse);
}

}  // namespace atelier::nn
