// Sums a network's gradients over the ranks of a data-parallel training while its backward still
// runs, as LibTorch's DistributedDataParallel does: the parameters are cut into buckets of about
// `bucket_bytes`, the last layers' first (a backward produces their gradients first), and a
// bucket's sum starts as soon as the last of its gradients is accumulated. Buckets start in
// their order on every rank, so the ranks' exchanges match.
//
//   GradientSum grads(parallel, optimiser_parameters(adam));   // once
//   adam.zero_grad(); grads.begin(); loss.backward(); grads.finish(); adam.step();
//
// A parameter that gets no gradient in a backward (a rank with no images) counts as zeros. In one
// process it does nothing. With more, the parameters' .grad tensors live in the buckets' memory
// (a backward accumulates into it, and the sums happen there: nothing is gathered or copied
// back), as DistributedDataParallel's gradient_as_bucket_view.
//
// Buckets are DistributedDataParallel's 25 MB by default, so the preview presets' networks (1.3 MB
// for disentangle, 1.9 MB for oneshot) make one bucket, summed as the backward ends. The last
// bucket, which has no backward left to overlap, is summed at once in the calling thread
// (DataParallel::in_place_sum), the others in the background. Smaller
// buckets made two processes on this 2-core machine slower (oneshot phase I, `bench scale`: 4 MB
// buckets 40.0 and 39.3 steps/s, 1 MB 38.7 and 38.1, 256 KB 32.8 and 31.9): on loopback an exchange
// takes CPU time from the backward it overlaps. Overlap pays where the exchange waits on a network
// or a GPU.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace atelier {

class DataParallel;

class GradientSum {
 public:
  static constexpr std::int64_t kBucketBytes = std::int64_t(25) << 20;

  // `params` in an optimiser's order, each requiring a gradient. `parallel` outlives this.
  GradientSum(DataParallel& parallel, const std::vector<torch::Tensor>& params,
              std::int64_t bucket_bytes = kBucketBytes);
  ~GradientSum();  // takes its hooks off the parameters
  GradientSum(const GradientSum&) = delete;
  GradientSum& operator=(const GradientSum&) = delete;

  // Around one backward: begin() before it, with the gradients zeroed (or undefined); after
  // finish(), every rank's gradients hold their sum over the ranks. Error(Io) naming a rank that
  // stopped answering.
  void begin();
  void finish();

  int buckets() const;
  // Buckets of the last backward whose sum started before finish(): while the backward ran.
  int started_during_backward() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace atelier
