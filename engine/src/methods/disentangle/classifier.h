// The A-vs-B classifier of the evaluation (the paper's Table 1 measure): a small CNN trained on
// the real images of the two sets, then asked which domain each transfer belongs to.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <functional>

namespace atelier::disentangle {

class DomainClassifierImpl : public torch::nn::Module {
 public:
  explicit DomainClassifierImpl(int width = 16);
  torch::Tensor forward(const torch::Tensor& x);  // N logits: > 0 means "A"

 private:
  torch::nn::Sequential body_{nullptr};
  torch::nn::Linear out_{nullptr};
};
TORCH_MODULE(DomainClassifier);

// a, b: float N x 3 x S x S in [-1, 1] (real images). Trains `steps` Adam steps (the last 30 %
// at a tenth of the rate; flips, shifts and blur), seeded; returns the net in eval mode.
// `after_step` (optional) gets the number of steps done after each step; it may throw to end the
// training (a stopped evaluation).
DomainClassifier train_domain_classifier(const torch::Tensor& a, const torch::Tensor& b, int steps,
                                         std::uint64_t seed,
                                         const std::function<void(int)>& after_step = {});

// Splits each set into the first 80 % and the rest of a seeded permutation.
std::pair<torch::Tensor, torch::Tensor> split_80_20(const torch::Tensor& x, std::uint64_t seed);

// The probability that each image is an A image (N floats).
torch::Tensor probability_a(DomainClassifier& net, const torch::Tensor& images);

// Share of verdicts p_a (from probability_a) that say A (want_a) or B; a verdict says A above 1/2.
double share_of(const torch::Tensor& p_a, bool want_a);

// Share of `images` the classifier puts in A (want_a) or in B.
double share_classified(DomainClassifier& net, const torch::Tensor& images, bool want_a);

// Share of real pictures put in their own domain: A images in A and B images in B, over both.
double accuracy(DomainClassifier& net, const torch::Tensor& real_a, const torch::Tensor& real_b);

}  // namespace atelier::disentangle
