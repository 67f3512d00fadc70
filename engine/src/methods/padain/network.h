// The classifier of the robustness report: a small residual network with the Permuted AdaIN layer
// after each convolution of each block (p = 0: the plain baseline, the same network otherwise).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <memory>
#include <vector>

#include "nn/batch_split.h"
#include "nn/permuted_adain.h"
#include "nn/sync_batch_norm.h"

namespace atelier::padain {

// conv 3x3 -> PermutedAdaIN -> BN -> ReLU -> conv 3x3 -> PermutedAdaIN -> BN, plus the shortcut
// (a strided 1x1 conv and BN when the shape changes), then ReLU. The layer sits right after each
// convolution, before the normalisation, as the paper places it in ResNets. The BatchNorms are
// synchronised over the processes of a data-parallel training (one process: plain BatchNorm).
class ResidualBlockImpl : public torch::nn::Module {
 public:
  ResidualBlockImpl(int in_channels, int out_channels, int stride, double p);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr};
  nn::PermutedAdaIN swap1_{nullptr}, swap2_{nullptr};
  nn::SyncBatchNorm2d norm1_{nullptr}, norm2_{nullptr};
  torch::nn::Sequential shortcut_{nullptr};  // empty: identity
};
TORCH_MODULE(ResidualBlock);

class RobustClassifierImpl : public torch::nn::Module {
 public:
  // Images N x in_channels x H x W in [0, 1]; any size of 8 px and up.
  RobustClassifierImpl(int in_channels, int classes, int width, int blocks, double p);
  torch::Tensor forward(const torch::Tensor& images);  // N x classes logits
  int in_channels() const { return in_channels_; }
  // Trains on this process's part of a batch spread over processes: every BatchNorm takes the
  // whole batch's statistics and every Permuted AdaIN layer permutes the whole batch. null: this
  // process holds the whole batch.
  void split_batch(const std::shared_ptr<const nn::BatchSplit>& split);

 private:
  int in_channels_;
  torch::nn::Sequential stem_{nullptr};
  std::vector<ResidualBlock> blocks_;
  torch::nn::Linear head_{nullptr};
};
TORCH_MODULE(RobustClassifier);

}  // namespace atelier::padain
