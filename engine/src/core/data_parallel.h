// Data-parallel training over processes and machines with LibTorch's own distributed layer
// (c10d: a TCPStore where the ranks meet, Gloo for the exchanges). Every rank trains the same
// networks on its own shard of the data; after each backward the gradients are summed over the
// ranks, so every rank takes the same optimiser step and the networks stay identical.
//
// The ranks must call the exchanges below in the same order. A rank that stops answering (its
// process ended, its machine left) ends the others' exchanges with an Error naming it.
#pragma once

#include <torch/optim/optimizer.h>
#include <torch/types.h>

#include <memory>
#include <vector>

#include "atelier/job.h"

namespace atelier {

class DataParallel {
 public:
  // Meets the other ranks at options.rendezvous (rank 0 listens there). world_size 1: nothing to
  // meet, and every exchange returns at once. Error(Io) naming the address when the ranks do not
  // meet within options.timeout_s; Error(Usage) when this build has no distributed layer.
  explicit DataParallel(const DistributedOptions& options);
  ~DataParallel();
  DataParallel(const DataParallel&) = delete;
  DataParallel& operator=(const DataParallel&) = delete;

  int rank() const { return rank_; }
  int world_size() const { return world_size_; }
  bool is_root() const { return rank_ == 0; }

  // Rank 0's values of `tensors`, copied into every rank's (the networks at the start).
  void broadcast(const std::vector<torch::Tensor>& tensors);
  // Sums the gradients of `params` over the ranks, a few flat buckets at a time. A parameter
  // without a gradient on this rank (a rank with no images in a step) counts as zeros.
  void sum_gradients(const std::vector<torch::Tensor>& params);
  // True on every rank when `flag` is true on any: a stop asked on one rank stops all of them
  // at the same step.
  bool any(bool flag);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int rank_ = 0;
  int world_size_ = 1;
};

// Every parameter an optimiser updates, in its order (what sum_gradients takes).
std::vector<torch::Tensor> optimiser_parameters(const torch::optim::Optimizer& optimiser);

// One training step's draw from a set of `total` images spread over the ranks (image i lives on
// rank i % world_size, at row i / world_size of that rank's shard). Every rank makes the same
// draw from torch's global generator (seeded alike), and keeps the images of its own shard, so
// the ranks together see exactly the batch that one process would.
struct ShardBatch {
  torch::Tensor rows;   // int64: this rank's rows in its shard
  torch::Tensor flips;  // bool, one per row: flip left-right
  std::int64_t global_batch = 0;
  // This rank's share of the global batch: a loss averaged over this rank's images, times this,
  // summed over the ranks, is the loss averaged over the global batch.
  double share() const {
    return global_batch > 0 ? double(rows.size(0)) / double(global_batch) : 0.0;
  }
};
ShardBatch draw_shard_batch(std::int64_t total, int batch, bool flip, int rank, int world_size);

// The float images of a draw (uint8 shard -> [-1, 1] on `device`), flipped as drawn.
torch::Tensor gather_shard_batch(const torch::Tensor& shard, const ShardBatch& draw,
                                 const torch::Device& device);

}  // namespace atelier
