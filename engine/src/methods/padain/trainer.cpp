#include "methods/padain/trainer.h"

#include <torch/nn/functional/loss.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>

#include "atelier/compute.h"
#include "atelier/error.h"
#include "core/gradient_sum.h"
#include "nn/fused_adam.h"

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

TrainingShard shard_of(const LabelledTensors& set, const DataParallel& parallel) {
  const torch::Tensor own = parallel.own_positions(set.size());
  return {{set.images.index_select(0, own), set.labels.index_select(0, own)}, set.size()};
}

TrainedClassifier train_classifier(const LabelledTensors& train, const PadainParams& params,
                                   double p, std::uint64_t seed, const StepObserver& observer) {
  DataParallel alone(DistributedOptions{});
  return train_classifier(TrainingShard{train, train.size()}, params, p, seed, alone, observer);
}

TrainedClassifier train_classifier(const TrainingShard& train, const PadainParams& params, double p,
                                   std::uint64_t seed, DataParallel& parallel,
                                   const StepObserver& observer) {
  const std::int64_t n = train.total;
  if (n < 2) throw bad_input("padain: training needs at least 2 images, got " + std::to_string(n));
  const std::int64_t batch = std::min<std::int64_t>(params.batch, n);
  const int ranks = parallel.world_size();
  if (batch < ranks) {
    throw usage_error("padain: a batch of " + std::to_string(batch) +
                      " images cannot be spread over " + std::to_string(ranks) +
                      " processes; lower --world-size or raise --set batch=N");
  }
  const auto start = std::chrono::steady_clock::now();
  seed_everything(seed);
  TrainedClassifier result;
  result.net = RobustClassifier(static_cast<int>(train.held.images.size(1)), kClasses, params.width,
                                params.blocks, p);
  RobustClassifier& net = result.net;
  net->train();
  // Every rank starts from rank 0's network.
  std::vector<torch::Tensor> state = net->parameters();
  for (const torch::Tensor& buffer : net->buffers()) state.push_back(buffer);
  parallel.broadcast(state);
  if (ranks > 1) {
    const torch::Tensor own = parallel.own_positions(batch);
    net->split_batch(std::make_shared<nn::BatchSplit>(
        nn::BatchSplit{batch, own, [&parallel](const torch::Tensor& t) { parallel.sum(t); }}));
  }
  nn::FusedAdam adam(net->parameters(),
                     torch::optim::AdamOptions(params.lr).weight_decay(params.weight_decay));
  GradientSum grads(parallel, optimiser_parameters(adam));
  // Image i of the set is row i / ranks of rank i mod ranks (shard_of).
  const torch::Tensor index_of_set = torch::arange(n, torch::kLong);
  const torch::Tensor owner = index_of_set.remainder(ranks);
  const torch::Tensor row = index_of_set.div(ranks, "floor");

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
      // This rank's part of the batch one process draws.
      const torch::Tensor index = order.narrow(0, b * batch, batch);
      const torch::Tensor x = as_input(parallel.gather_own(train.held.images, owner, row, index));
      const torch::Tensor y = parallel.gather_own(train.held.labels, owner, row, index);
      adam.zero_grad();
      grads.begin();
      const torch::Tensor logits = net->forward(x);
      // The part's mean loss weighted by its share of the batch: the ranks' gradients sum to
      // the gradient of the whole batch's mean loss.
      const double share = static_cast<double>(x.size(0)) / static_cast<double>(batch);
      const torch::Tensor loss = torch::nn::functional::cross_entropy(logits, y) * share;
      loss.backward();
      grads.finish();
      adam.step();
      // The whole batch's loss and right answers.
      const torch::Tensor figures = torch::stack(
          {loss.detach().to(torch::kDouble), (logits.argmax(1) == y).sum().to(torch::kDouble)});
      parallel.sum(figures);
      result.final_loss = figures[0].item<double>();
      if (!std::isfinite(result.final_loss)) {
        throw bad_input("padain: the training loss became " + std::to_string(result.final_loss) +
                        " at step " + std::to_string(step + 1) + "; lower lr");
      }
      right += static_cast<std::int64_t>(figures[1].item<double>());
      seen += batch;
      if (observer) observer(step + 1, steps, result.final_loss);
    }
    result.train_accuracy = static_cast<double>(right) / static_cast<double>(seen);
  }
  net->eval();
  net->split_batch(nullptr);  // the split's exchanges belong to this training
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
  DataParallel alone(DistributedOptions{});
  return accuracy(net, images, labels, alone, between_batches);
}

double accuracy(RobustClassifier& net, const torch::Tensor& images, const torch::Tensor& labels,
                DataParallel& parallel, const std::function<void()>& between_batches) {
  const std::int64_t n = labels.size(0);
  if (n == 0) return 0;
  const torch::Tensor own = parallel.own_positions(n);
  torch::Tensor right = torch::zeros({1}, torch::kDouble);  // a rank may have no images of a set
  if (own.numel() > 0) {
    const torch::Tensor predicted = predict(net, images.index_select(0, own), between_batches);
    right += (predicted == labels.index_select(0, own)).sum().to(torch::kDouble);
  }
  parallel.sum(right);
  return right.item<double>() / static_cast<double>(n);
}

}  // namespace atelier::padain
