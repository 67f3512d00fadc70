// Data-parallel training over processes and machines with LibTorch's own distributed layer
// (c10d: a TCPStore where the ranks meet, Gloo for the exchanges). Every rank trains the same
// networks on its own shard of the data; in each backward the gradients are summed over the
// ranks (GradientSum), so every rank takes the same optimiser step and the networks stay identical.
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
  // Sums `tensor` over the ranks, in place, in the calling thread: pieces of a batch that each
  // rank filled where it holds the images, or a batch-wide statistic. Every rank gets the same
  // values to the last bit.
  void sum(const torch::Tensor& tensor);
  // The same sum, started in the background: it returns at once, and wait_sums() waits for
  // every sum started (GradientSum starts them while a backward still runs).
  void start_sum(const torch::Tensor& tensor);
  void wait_sums();
  // A sum over the ranks of one buffer, again and again (a gradient bucket), in place and on the
  // buffer's own memory: no copy in or out, as sum() makes. Every rank makes it at the same point
  // with a buffer of the same type and size, and keeps the buffer while it lives. A buffer that
  // is not contiguous on the CPU is summed as sum() sums it.
  class InPlaceSum {
   public:
    virtual ~InPlaceSum() = default;
    virtual void run() = 0;  // Error(Io) naming a rank that stopped answering
  };
  std::unique_ptr<InPlaceSum> in_place_sum(const torch::Tensor& buffer);
  // True on every rank when `flag` is true on any: a stop asked on one rank stops all of them
  // at the same step.
  bool any(bool flag);

  // The positions of a global batch of `batch` that this rank trains on: p with p mod world size
  // = rank, so the parts differ by one image at most (all of them in one process).
  torch::Tensor own_positions(std::int64_t batch) const;
  // A training step's `batch` images, drawn as one process draws them from a set of which each
  // rank holds a part (image i of the set is on rank owner[i], at row row[i] of that rank's
  // `held`, uint8 N x C x H x W): torch's global generator, flipped left-right with chance 1/2
  // when `flip`. The ranks sum a uint8 batch into which each put the images it holds, and this
  // rank returns its own_positions' images, as float on `device`. Every rank must draw together.
  torch::Tensor draw_batch(const torch::Tensor& held, const torch::Tensor& owner,
                           const torch::Tensor& row, int batch, bool flip,
                           const torch::Device& device);
  // Rows `rows` of a set that the ranks hold in parts, as draw_batch's (`held` any dtype,
  // contiguous, on the CPU): the ranks sum a batch of zeros into which each put the rows it
  // holds, and this rank returns those at its own_positions of the batch (all of them in one
  // process). Every rank must call it together, with the same `rows`.
  torch::Tensor gather_own(const torch::Tensor& held, const torch::Tensor& owner,
                           const torch::Tensor& row, const torch::Tensor& rows);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int rank_ = 0;
  int world_size_ = 1;
};

// Every parameter an optimiser updates, in its order (what a GradientSum takes).
std::vector<torch::Tensor> optimiser_parameters(const torch::optim::Optimizer& optimiser);

}  // namespace atelier
