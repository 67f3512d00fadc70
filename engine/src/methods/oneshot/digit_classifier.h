// The judges of the evaluation: a small CNN that learns the ten digits of B's own labelled
// images (MNIST-M style), then says which digit each translation shows; the same network with
// two classes tells A's images from B's (does a translation look like B at all?).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <functional>

namespace atelier::oneshot {

class DigitClassifierImpl : public torch::nn::Module {
 public:
  explicit DigitClassifierImpl(int width = 16, int classes = 10);
  torch::Tensor forward(const torch::Tensor& x);  // N x classes logits

 private:
  torch::nn::Sequential body_{nullptr};
  torch::nn::Linear out_{nullptr};
};
TORCH_MODULE(DigitClassifier);

// images: float N x 3 x S x S in [-1, 1]; labels: int64 N in [0, classes). `steps` Adam steps with
// small random shifts, seeded; `after_step` gets the steps done (it may throw to stop). Returns
// the net in eval mode.
DigitClassifier train_digit_classifier(const torch::Tensor& images, const torch::Tensor& labels,
                                       int steps, std::uint64_t seed,
                                       const std::function<void(int)>& after_step = {},
                                       int classes = 10);

// Share of images whose predicted class is their label.
double digit_accuracy(DigitClassifier& net, const torch::Tensor& images,
                      const torch::Tensor& labels);

}  // namespace atelier::oneshot
