// Permuted AdaIN (Nuriel, Benaim and Wolf, CVPR 2021): in training, with probability p per forward
// pass, each sample's feature maps take the per-channel spatial mean and std of another sample of
// the batch (a random permutation of the whole batch). The partner's statistics are detached, so
// gradients flow only through the sample's own normalised content. It discourages networks from
// leaning on global image statistics (colour, contrast, texture) and is the identity in eval mode.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <memory>

#include "nn/batch_split.h"

namespace atelier::nn {

// The swap itself, for a given permutation: x is N x C x (spatial...), with at least one spatial
// dimension; `permutation` is an int64 vector of length N. Sample i gets the statistics of sample
// permutation[i]. Maps of a single element are returned unchanged (they have no spatial std).
torch::Tensor permuted_adain(const torch::Tensor& x, const torch::Tensor& permutation,
                             double eps = 1e-5);
// The same swap where x is this process's part of a batch spread over processes: `permutation`
// (of the whole batch) may pair a sample with one that another process holds, so the processes
// share their samples' statistics (a small exchange). Every process must call it together.
torch::Tensor permuted_adain(const torch::Tensor& x, const torch::Tensor& permutation,
                             const BatchSplit& split, double eps = 1e-5);

class PermutedAdaINImpl : public torch::nn::Module {
 public:
  explicit PermutedAdaINImpl(double p = 0.01, double eps = 1e-5);

  // Training mode, p > 0, a batch of two or more and more than one element per map: with
  // probability p (drawn from torch's global generator, so seeded runs repeat) the batch is
  // permuted at random and the statistics swapped. Otherwise x is returned as is. With a split,
  // "the batch" is the whole batch over the processes: each draws the same permutation of it.
  torch::Tensor forward(const torch::Tensor& x);

  // The batch's split over processes; null: this process holds the whole batch.
  void set_split(std::shared_ptr<const BatchSplit> split) { split_ = std::move(split); }

  double p() const { return p_; }
  void set_p(double p);
  // The permutation of the last forward pass that swapped statistics; undefined if none did.
  const torch::Tensor& last_permutation() const { return last_permutation_; }

 private:
  double p_;
  double eps_;
  torch::Tensor last_permutation_;
  std::shared_ptr<const BatchSplit> split_;
};
TORCH_MODULE(PermutedAdaIN);

}  // namespace atelier::nn
