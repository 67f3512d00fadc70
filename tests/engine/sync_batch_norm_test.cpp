// The layers that see a batch spread over processes, in double precision: SyncBatchNorm2d gives
// LibTorch's BatchNorm2d (outputs, input and parameter gradients, running statistics) in one
// process, and two ranks on loopback, each holding half a batch, give the rows of what one
// process computes with the whole batch; Permuted AdaIN's swap over two ranks likewise.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/data_parallel.h"
#include "core/gradient_sum.h"
#include "loopback_ranks.h"
#include "nn/permuted_adain.h"
#include "nn/sync_batch_norm.h"

namespace atelier {
namespace {

constexpr std::int64_t kBatch = 7;  // uneven: rank 0 holds 4 samples, rank 1 holds 3
constexpr std::int64_t kChannels = 3;
constexpr double kTolerance = 1e-10;

struct Inputs {
  torch::Tensor x, probe, weight, bias;
};

// Maps with a mean far from 0 (where a variance from E[x^2] - mean^2 would lose digits in
// float), a probe that weighs every output differently, and affine weights that are not 1 and 0.
Inputs make_inputs() {
  torch::manual_seed(3);
  const auto f64 = torch::kDouble;
  return {torch::randn({kBatch, kChannels, 5, 4}, f64) * 2 + 4,
          torch::randn({kBatch, kChannels, 5, 4}, f64), torch::rand({kChannels}, f64) + 0.5,
          torch::randn({kChannels}, f64)};
}

// One training-mode pass of a norm over `x` (rows of the batch), loss = sum(y * probe).
struct Pass {
  torch::Tensor y, grad_x, grad_weight, grad_bias, running_mean, running_var;
};

template <typename Norm>
Pass train_pass(Norm& norm, const Inputs& in, const torch::Tensor& rows) {
  {
    torch::NoGradGuard no_grad;
    norm->weight.copy_(in.weight);
    norm->bias.copy_(in.bias);
  }
  norm->train();
  const torch::Tensor x = in.x.index_select(0, rows).requires_grad_(true);
  const torch::Tensor y = norm->forward(x);
  (y * in.probe.index_select(0, rows)).sum().backward();
  return {y.detach(),
          x.grad(),
          norm->weight.grad().clone(),
          norm->bias.grad().clone(),
          norm->running_mean.clone(),
          norm->running_var.clone()};
}

void expect_near(const torch::Tensor& a, const torch::Tensor& b, const std::string& what) {
  ASSERT_EQ(a.sizes(), b.sizes()) << what;
  EXPECT_LT((a - b).abs().max().item<double>(), kTolerance) << what;
}

void expect_same_pass(const Pass& a, const Pass& b) {
  expect_near(a.y, b.y, "output");
  expect_near(a.grad_x, b.grad_x, "input gradient");
  expect_near(a.grad_weight, b.grad_weight, "weight gradient");
  expect_near(a.grad_bias, b.grad_bias, "bias gradient");
  expect_near(a.running_mean, b.running_mean, "running mean");
  expect_near(a.running_var, b.running_var, "running variance");
}

std::shared_ptr<nn::BatchSplit> whole_batch_in_one_process() {
  return std::make_shared<nn::BatchSplit>(
      nn::BatchSplit{kBatch, torch::arange(kBatch), [](const torch::Tensor&) {}});
}

TEST(SyncBatchNorm2d, IsLibTorchsBatchNormInOneProcess) {
  const Inputs in = make_inputs();
  const torch::Tensor all = torch::arange(kBatch);
  torch::nn::BatchNorm2d reference(kChannels);
  reference->to(torch::kDouble);
  const Pass expected = train_pass(reference, in, all);

  // Without a split: LibTorch's own kernel.
  nn::SyncBatchNorm2d plain(kChannels);
  plain->to(torch::kDouble);
  expect_same_pass(train_pass(plain, in, all), expected);

  // With a split of one process: the synchronised forward and its own backward.
  nn::SyncBatchNorm2d synced(kChannels);
  synced->to(torch::kDouble);
  synced->set_split(whole_batch_in_one_process());
  expect_same_pass(train_pass(synced, in, all), expected);
  EXPECT_EQ(synced->num_batches_tracked.item<std::int64_t>(), 1);

  // Eval mode: the running statistics, as LibTorch's.
  synced->eval();
  reference->eval();
  torch::NoGradGuard no_grad;
  expect_near(synced->forward(in.x), reference->forward(in.x), "eval output");
}

// Maps in another memory layout than the contiguous one (channels last) take the general
// tensor path of the backward instead of its one-pass loop, with the same results.
TEST(SyncBatchNorm2d, ChannelsLastMapsGiveWhatContiguousOnesGive) {
  const Inputs in = make_inputs();
  torch::nn::BatchNorm2d reference(kChannels);
  reference->to(torch::kDouble);
  const Pass expected = train_pass(reference, in, torch::arange(kBatch));

  nn::SyncBatchNorm2d synced(kChannels);
  synced->to(torch::kDouble);
  synced->set_split(whole_batch_in_one_process());
  {
    torch::NoGradGuard no_grad;
    synced->weight.copy_(in.weight);
    synced->bias.copy_(in.bias);
  }
  const torch::Tensor x =
      in.x.contiguous(at::MemoryFormat::ChannelsLast).detach().requires_grad_(true);
  ASSERT_FALSE(x.is_contiguous());
  const torch::Tensor y = synced->forward(x);
  (y * in.probe).sum().backward();
  expect_near(y.detach(), expected.y, "output");
  expect_near(x.grad(), expected.grad_x, "input gradient");
  expect_near(synced->weight.grad(), expected.grad_weight, "weight gradient");
  expect_near(synced->bias.grad(), expected.grad_bias, "bias gradient");
}

TEST(SyncBatchNorm2d, SameParameterNamesAsBatchNorm2d) {
  nn::SyncBatchNorm2d synced(4);
  torch::nn::BatchNorm2d reference(4);
  EXPECT_EQ(synced->named_parameters().keys(), reference->named_parameters().keys());
  EXPECT_EQ(synced->named_buffers().keys(), reference->named_buffers().keys());
}

#ifdef ATELIER_HAVE_GLOO

// Runs `work(parallel, split)` as ranks 0 and 1 of a loopback world, on two threads.
void on_two_ranks(
    const std::function<void(DataParallel&, const std::shared_ptr<nn::BatchSplit>&)>& work) {
  atelier::on_two_ranks([&](DataParallel& parallel) {
    work(parallel, std::make_shared<nn::BatchSplit>(
                       nn::BatchSplit{kBatch, parallel.own_positions(kBatch),
                                      [&parallel](const torch::Tensor& t) { parallel.sum(t); }}));
  });
}

TEST(SyncBatchNorm2d, TwoRanksWithHalfABatchEachGiveTheRowsOfOneProcess) {
  const Inputs in = make_inputs();
  torch::nn::BatchNorm2d reference(kChannels);
  reference->to(torch::kDouble);
  const Pass whole = train_pass(reference, in, torch::arange(kBatch));

  Pass parts[2];
  on_two_ranks([&](DataParallel& parallel, const std::shared_ptr<nn::BatchSplit>& split) {
    nn::SyncBatchNorm2d norm(kChannels);
    norm->to(torch::kDouble);
    norm->set_split(split);
    // The parameters' gradients are summed over the ranks, as a training's are: each in its own
    // bucket, started while the layer's backward still exchanges its statistics' gradient.
    GradientSum grads(parallel, {norm->weight, norm->bias}, /*bucket_bytes=*/1);
    grads.begin();
    Pass pass = train_pass(norm, in, split->own_positions);
    grads.finish();
    pass.grad_weight = norm->weight.grad().clone();
    pass.grad_bias = norm->bias.grad().clone();
    parts[parallel.rank()] = pass;
  });
  for (int rank = 0; rank < 2; ++rank) {
    SCOPED_TRACE("rank " + std::to_string(rank));
    const torch::Tensor rows = torch::arange(rank, kBatch, 2);
    expect_near(parts[rank].y, whole.y.index_select(0, rows), "output");
    expect_near(parts[rank].grad_x, whole.grad_x.index_select(0, rows), "input gradient");
    expect_near(parts[rank].grad_weight, whole.grad_weight, "weight gradient");
    expect_near(parts[rank].grad_bias, whole.grad_bias, "bias gradient");
    expect_near(parts[rank].running_mean, whole.running_mean, "running mean");
    expect_near(parts[rank].running_var, whole.running_var, "running variance");
  }
}

TEST(PermutedAdaIN, TwoRanksSwapStatisticsAcrossTheWholeBatch) {
  const Inputs in = make_inputs();
  // Every sample of rank 0 takes a partner of rank 1 and the reverse (even <-> odd positions).
  const torch::Tensor permutation = torch::tensor({1, 2, 3, 4, 5, 6, 0}, torch::kLong);
  const torch::Tensor x_all = in.x.clone().requires_grad_(true);
  const torch::Tensor y_all = nn::permuted_adain(x_all, permutation);
  (y_all * in.probe).sum().backward();

  torch::Tensor y[2], grad[2];
  on_two_ranks([&](DataParallel& parallel, const std::shared_ptr<nn::BatchSplit>& split) {
    const torch::Tensor x = in.x.index_select(0, split->own_positions).requires_grad_(true);
    const torch::Tensor out = nn::permuted_adain(x, permutation, *split);
    (out * in.probe.index_select(0, split->own_positions)).sum().backward();
    y[parallel.rank()] = out.detach();
    grad[parallel.rank()] = x.grad();
  });
  for (int rank = 0; rank < 2; ++rank) {
    const torch::Tensor rows = torch::arange(rank, kBatch, 2);
    expect_near(y[rank], y_all.detach().index_select(0, rows), "rank " + std::to_string(rank));
    expect_near(grad[rank], x_all.grad().index_select(0, rows), "rank " + std::to_string(rank));
  }
}

#endif

}  // namespace
}  // namespace atelier
