#include "methods/oneshot/digit_classifier.h"

#include <torch/nn/functional/loss.h>
#include <torch/torch.h>

#include "atelier/compute.h"

namespace atelier::oneshot {
namespace {

constexpr int kBatch = 64;
constexpr int kMaxShift = 2;
constexpr double kLearningRate = 2e-3;
constexpr std::int64_t kChunk = 256;

torch::Tensor shifted(const torch::Tensor& x) {
  const auto shift = torch::randint(-kMaxShift, kMaxShift + 1, {2}, torch::kLong);
  return x.roll({shift[0].item<std::int64_t>(), shift[1].item<std::int64_t>()}, {2, 3});
}

}  // namespace

DigitClassifierImpl::DigitClassifierImpl(int width, int classes) {
  body_ = torch::nn::Sequential();
  int in = 3;
  for (int i = 0; i < 3; ++i) {
    const int out = width << i;
    body_->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1)));
    body_->push_back(torch::nn::BatchNorm2d(out));
    body_->push_back(torch::nn::ReLU());
    body_->push_back(torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(2)));
    in = out;
  }
  register_module("body", body_);
  out_ = register_module("out", torch::nn::Linear(in, classes));
}

torch::Tensor DigitClassifierImpl::forward(const torch::Tensor& x) {
  return out_->forward(body_->forward(x).mean({2, 3}));
}

DigitClassifier train_digit_classifier(const torch::Tensor& images, const torch::Tensor& labels,
                                       int steps, std::uint64_t seed,
                                       const std::function<void(int)>& after_step, int classes) {
  seed_everything(seed);
  DigitClassifier net(16, classes);
  net->to(images.device());
  net->train();
  torch::optim::Adam adam(net->parameters(), torch::optim::AdamOptions(kLearningRate));
  for (int i = 0; i < steps; ++i) {
    adapt_threads();
    if (i == steps * 7 / 10) {
      for (auto& group : adam.param_groups()) {
        static_cast<torch::optim::AdamOptions&>(group.options()).lr(kLearningRate / 10);
      }
    }
    const torch::Tensor index =
        torch::randint(images.size(0), {kBatch}, torch::kLong).to(images.device());
    const torch::Tensor x = shifted(images.index_select(0, index));
    adam.zero_grad();
    torch::nn::functional::cross_entropy(net->forward(x), labels.index_select(0, index)).backward();
    adam.step();
    if (after_step) after_step(i + 1);
  }
  net->eval();
  return net;
}

double digit_accuracy(DigitClassifier& net, const torch::Tensor& images,
                      const torch::Tensor& labels) {
  if (images.size(0) == 0) return 0;
  torch::NoGradGuard no_grad;
  std::int64_t right = 0;
  for (std::int64_t i = 0; i < images.size(0); i += kChunk) {
    const std::int64_t n = std::min(kChunk, images.size(0) - i);
    const torch::Tensor predicted = net->forward(images.narrow(0, i, n)).argmax(1);
    right += (predicted == labels.narrow(0, i, n)).sum().item<std::int64_t>();
  }
  return double(right) / double(images.size(0));
}

}  // namespace atelier::oneshot
