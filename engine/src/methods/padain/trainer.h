// Training and measuring one classifier of the robustness report.
#pragma once

#include <cstdint>
#include <functional>

#include "atelier/padain.h"
#include "core/data_parallel.h"
#include "methods/padain/data.h"
#include "methods/padain/network.h"

namespace atelier::padain {

struct TrainedClassifier {
  RobustClassifier net{nullptr};  // in eval mode
  std::int64_t steps = 0;
  double seconds = 0;
  double final_loss = 0;
  double train_accuracy = 0;  // over the last epoch's batches, in training mode
};

// Called after every step with the steps done, of `steps`, and the step's loss; may throw (a
// stopped job).
using StepObserver = std::function<void(std::int64_t done, std::int64_t steps, double loss)>;

// The number of steps train_classifier takes for `images` training images.
std::int64_t training_steps(const PadainParams& params, std::int64_t images);

// One rank's part of the training set of a data-parallel training: the images i of the whole
// set with i mod world size = rank (all of them in one process).
struct TrainingShard {
  LabelledTensors held;
  std::int64_t total = 0;  // images in the whole set
};
TrainingShard shard_of(const LabelledTensors& set, const DataParallel& parallel);

// Adam with weight decay, cross-entropy, `epochs` passes in a seeded order (drop-last batches);
// the last 30 % of the steps at a tenth of the rate. Every PermutedAdaIN layer has probability p.
// Over the ranks of `parallel` (every rank calls it together): each rank trains on its part of
// the batch one process draws (own_positions), fetched from the ranks that hold the images;
// the BatchNorms use the whole batch's statistics, Permuted AdaIN permutes the whole batch, the
// gradients are summed, so every rank ends with the network one process trains. The observer
// sees the whole batch's loss on every rank.
TrainedClassifier train_classifier(const TrainingShard& train, const PadainParams& params, double p,
                                   std::uint64_t seed, DataParallel& parallel,
                                   const StepObserver& observer = {});
// The same in one process.
TrainedClassifier train_classifier(const LabelledTensors& train, const PadainParams& params,
                                   double p, std::uint64_t seed, const StepObserver& observer = {});

// Predicted class per image (N int64), in batches, eval mode, no gradients. `between_batches`
// (optional) is called after each batch; it may throw.
torch::Tensor predict(RobustClassifier& net, const torch::Tensor& images,
                      const std::function<void()>& between_batches = {});

// Share of `set` classified right.
double accuracy(RobustClassifier& net, const torch::Tensor& images, const torch::Tensor& labels,
                const std::function<void()>& between_batches = {});
// The same measured by the ranks of `parallel` together (each classifies the images at its
// own_positions of the set; every rank calls it together and gets the whole set's share).
double accuracy(RobustClassifier& net, const torch::Tensor& images, const torch::Tensor& labels,
                DataParallel& parallel, const std::function<void()>& between_batches = {});

}  // namespace atelier::padain
