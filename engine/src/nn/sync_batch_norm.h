// BatchNorm over N x C x H x W maps whose batch is spread over the processes of a data-parallel
// training (SyncBatchNorm): in training, the mean and variance are those of the whole batch,
// combined from every process's per-channel statistics, and the gradients flow through these
// shared statistics to every process's samples; the running statistics follow the whole batch.
// So two processes holding half a batch each compute what one process computes with all of it,
// with one exchange forward and one backward per layer (once differentiable: no gradient of a
// gradient through it).
//
// Without a split (one process) it is torch::nn::BatchNorm2d, the same fused kernel; in eval
// mode it normalises with the running statistics. Its parameters and buffers carry BatchNorm2d's
// names. The running statistics use a fixed momentum (BatchNorm2d's default 0.1).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>
#include <memory>

#include "nn/batch_split.h"

namespace atelier::nn {

class SyncBatchNorm2dImpl : public torch::nn::Module {
 public:
  explicit SyncBatchNorm2dImpl(std::int64_t features, double eps = 1e-5, double momentum = 0.1);

  torch::Tensor forward(const torch::Tensor& x);

  // The batch's split over processes; null: this process holds the whole batch. With a split,
  // every process must run each training forward and backward pass together.
  void set_split(std::shared_ptr<const BatchSplit> split) { split_ = std::move(split); }

  torch::Tensor weight, bias;                                    // affine, per channel
  torch::Tensor running_mean, running_var, num_batches_tracked;  // buffers

 private:
  torch::Tensor synchronised(const torch::Tensor& x);

  std::int64_t features_;
  double eps_;
  double momentum_;
  std::shared_ptr<const BatchSplit> split_;
};
TORCH_MODULE(SyncBatchNorm2d);

}  // namespace atelier::nn
