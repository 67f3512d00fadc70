#include "methods/padain/trainer.h"

#include <torch/nn/functional/loss.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>

#include "atelier/compute.h"
#include "atelier/error.h"

namespace atelier::padain {
namespace {

constexpr int kClasses = 10;
constexpr std::int64_t kEvalBatch = 128;
// The last 30 % of the steps at a tenth of the rate (as the project's other classifiers).
constexpr double kSlowFrom = 0.7;

torch::Tensor as_input(const torch::Tensor& images_u8) {
  return images_u8.to(torch::kFloat) / 255;
}

}  // namespace

std::int64_t training_steps(const PadainParams& params, std::int64_t images) {
  const std::int64_t batch = std::min<std::int64_t>(params.batch, images);
  return params.epochs * std::max<std::int64_t>(1, images / batch);
}

TrainedClassifier train_classifier(const LabelledTensors& train, const PadainParams& params,
                                   double p, std::uint64_t seed, const StepObserver& observer) {
  const std::int64_t n = train.size();
  if (n < 2) throw bad_input("padain: training needs at least 2 images, got " + std::to_string(n));
  const auto start = std::chrono::steady_clock::now();
  seed_everything(seed);
  TrainedClassifier result;
  result.net = RobustClassifier(static_cast<int>(train.images.size(1)), kClasses, params.width,
                                params.blocks, p);
  RobustClassifier& net = result.net;
  net->train();
  torch::optim::Adam adam(net->parameters(),
                          torch::optim::AdamOptions(params.lr).weight_decay(params.weight_decay));

  const std::int64_t batch = std::min<std::int64_t>(params.batch, n);
  const std::int64_t per_epoch = std::max<std::int64_t>(1, n / batch);
  const std::int64_t steps = training_steps(params, n);
  const auto slow_from = static_cast<std::int64_t>(kSlowFrom * static_cast<double>(steps));
  std::int64_t step = 0;
  for (int epoch = 0; epoch < params.epochs; ++epoch) {
    const torch::Tensor order = torch::randperm(n, torch::kLong);
    std::int64_t right = 0, seen = 0;
    for (std::int64_t b = 0; b < per_epoch; ++b, ++step) {
      adapt_threads();
      if (step == slow_from) {
        for (auto& group : adam.param_groups())
          static_cast<torch::optim::AdamOptions&>(group.options()).lr(params.lr / 10);
      }
      const torch::Tensor index = order.narrow(0, b * batch, batch);
      const torch::Tensor x = as_input(train.images.index_select(0, index));
      const torch::Tensor y = train.labels.index_select(0, index);
      adam.zero_grad();
      const torch::Tensor logits = net->forward(x);
      const torch::Tensor loss = torch::nn::functional::cross_entropy(logits, y);
      loss.backward();
      adam.step();
      result.final_loss = loss.item<double>();
      if (!std::isfinite(result.final_loss)) {
        throw bad_input("padain: the training loss became " + std::to_string(result.final_loss) +
                        " at step " + std::to_string(step + 1) + "; lower lr");
      }
      right += (logits.argmax(1) == y).sum().item<std::int64_t>();
      seen += batch;
      if (observer) observer(step + 1, steps, result.final_loss);
    }
    result.train_accuracy = static_cast<double>(right) / static_cast<double>(seen);
  }
  net->eval();
  result.steps = steps;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

torch::Tensor predict(RobustClassifier& net, const torch::Tensor& images,
                      const std::function<void()>& between_batches) {
  torch::NoGradGuard no_grad;
  net->eval();
  std::vector<torch::Tensor> parts;
  for (std::int64_t i = 0; i < images.size(0); i += kEvalBatch) {
    adapt_threads();
    const std::int64_t count = std::min(kEvalBatch, images.size(0) - i);
    parts.push_back(net->forward(as_input(images.narrow(0, i, count))).argmax(1));
    if (between_batches) between_batches();
  }
  return torch::cat(parts);
}

double accuracy(RobustClassifier& net, const torch::Tensor& images, const torch::Tensor& labels,
                const std::function<void()>& between_batches) {
  if (labels.size(0) == 0) return 0;
  const torch::Tensor predicted = predict(net, images, between_batches);
  return (predicted == labels).to(torch::kDouble).mean().item<double>();
}

}  // namespace atelier::padain
