// A training batch spread over the processes of a data-parallel training, as the layers whose
// result depends on the whole batch see it: a BatchNorm with statistics of the whole batch, and
// Permuted AdaIN, whose permutation mixes samples that different processes hold. The trainer
// fills it from its DataParallel; the layers know nothing of how the processes talk.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <functional>

namespace atelier::nn {

struct BatchSplit {
  std::int64_t batch = 0;       // the whole batch
  torch::Tensor own_positions;  // this process's places in it (int64, ascending)
  // Adds a contiguous CPU tensor over the processes, in place. Every process must call it at the
  // same point of the same forward or backward pass.
  std::function<void(const torch::Tensor&)> sum;
};

}  // namespace atelier::nn
