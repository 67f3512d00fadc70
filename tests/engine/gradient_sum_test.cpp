// GradientSum, in double precision: two ranks on loopback, each with its part of a batch, end a
// backward holding the gradient of the whole batch, summed bucket by bucket while the backward
// ran; parameters without a gradient count as zeros; one process is left alone.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <functional>
#include <string>
#include <vector>

#include "atelier/error.h"
#include "core/data_parallel.h"
#include "core/gradient_sum.h"
#include "loopback_ranks.h"

namespace atelier {
namespace {

constexpr std::int64_t kBatch = 7;           // uneven: rank 0 holds 4 samples, rank 1 holds 3
constexpr std::int64_t kSmallBuckets = 512;  // bytes: three buckets of this network

torch::nn::Sequential make_net() {
  torch::manual_seed(3);
  torch::nn::Sequential net(torch::nn::Linear(5, 16), torch::nn::Tanh(), torch::nn::Linear(16, 16),
                            torch::nn::Tanh(), torch::nn::Linear(16, 3));
  net->to(torch::kDouble);
  return net;
}

const torch::Tensor& inputs() {
  static const torch::Tensor x = [] {
    torch::manual_seed(4);
    return torch::randn({kBatch, 5}, torch::kDouble);
  }();
  return x;
}

// The batch's mean loss, the part `rows` of it counted by its share (what a rank computes).
torch::Tensor loss_of(torch::nn::Sequential& net, const torch::Tensor& rows) {
  const torch::Tensor y = net->forward(inputs().index_select(0, rows));
  return y.square().sum(1).mean() * (double(rows.size(0)) / kBatch);
}

std::vector<torch::Tensor> gradients(torch::nn::Sequential& net) {
  std::vector<torch::Tensor> grads;
  for (const torch::Tensor& p : net->parameters()) grads.push_back(p.grad().clone());
  return grads;
}

void expect_same(const std::vector<torch::Tensor>& got, const std::vector<torch::Tensor>& want,
                 const std::string& what) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t k = 0; k < got.size(); ++k) {
    EXPECT_TRUE(torch::allclose(got[k], want[k], 0, 1e-12))
        << what << ", parameter " << k << ": off by "
        << (got[k] - want[k]).abs().max().item<double>();
  }
}

TEST(GradientSum, LeavesTheGradientsOfOneProcessAsTheyAre) {
  DataParallel parallel(DistributedOptions{});
  torch::nn::Sequential net = make_net();
  GradientSum grads(parallel, net->parameters());
  grads.begin();
  loss_of(net, torch::arange(kBatch)).backward();
  grads.finish();
  EXPECT_EQ(grads.buckets(), 0);
  torch::nn::Sequential again = make_net();
  loss_of(again, torch::arange(kBatch)).backward();
  expect_same(gradients(net), gradients(again), "one process");
}

#ifdef ATELIER_HAVE_GLOO

TEST(GradientSum, TwoRanksEndTheBackwardWithTheGradientOfTheWholeBatch) {
  torch::nn::Sequential whole = make_net();
  loss_of(whole, torch::arange(kBatch)).backward();
  const std::vector<torch::Tensor> want = gradients(whole);

  std::vector<torch::Tensor> got[2];
  int buckets[2] = {0, 0}, early[2] = {0, 0};
  torch::nn::Sequential nets[2] = {make_net(), make_net()};  // here: one random stream
  on_two_ranks([&](DataParallel& parallel) {
    torch::nn::Sequential& net = nets[parallel.rank()];
    GradientSum grads(parallel, net->parameters(), kSmallBuckets);
    // Two steps, as a training makes them: the second starts from zeroed gradients.
    for (int step = 0; step < 2; ++step) {
      for (torch::Tensor& p : net->parameters()) {
        if (p.grad().defined()) p.mutable_grad().zero_();
      }
      grads.begin();
      loss_of(net, parallel.own_positions(kBatch)).backward();
      grads.finish();
    }
    got[parallel.rank()] = gradients(net);
    buckets[parallel.rank()] = grads.buckets();
    early[parallel.rank()] = grads.started_during_backward();
  });
  for (int rank = 0; rank < 2; ++rank) {
    SCOPED_TRACE("rank " + std::to_string(rank));
    expect_same(got[rank], want, "summed");
    EXPECT_GE(buckets[rank], 3);
    // Every parameter had its gradient before the backward ended, so every bucket started then.
    EXPECT_EQ(early[rank], buckets[rank]);
  }
}

TEST(GradientSum, ARankWithoutImagesAndAnUnusedLayerCountAsZeros) {
  // Rank 1 makes no backward (no images this step); the last layer is used by neither rank.
  torch::nn::Sequential whole = make_net();
  auto partial_loss = [&](torch::nn::Sequential& net, const torch::Tensor& rows) {
    const torch::Tensor x = inputs().index_select(0, rows);
    torch::Tensor h = torch::tanh(net[0]->as<torch::nn::Linear>()->forward(x));
    h = torch::tanh(net[2]->as<torch::nn::Linear>()->forward(h));
    return h.square().sum(1).mean() * (double(rows.size(0)) / kBatch);
  };
  partial_loss(whole, torch::arange(0, kBatch, 2)).backward();  // rank 0's rows only
  std::vector<torch::Tensor> want;
  for (const torch::Tensor& p : whole->parameters())
    want.push_back(p.grad().defined() ? p.grad() : torch::zeros_like(p));

  std::vector<torch::Tensor> got[2];
  torch::nn::Sequential nets[2] = {make_net(), make_net()};
  on_two_ranks([&](DataParallel& parallel) {
    torch::nn::Sequential& net = nets[parallel.rank()];
    GradientSum grads(parallel, net->parameters(), kSmallBuckets);
    grads.begin();
    if (parallel.rank() == 0) partial_loss(net, parallel.own_positions(kBatch)).backward();
    grads.finish();
    got[parallel.rank()] = gradients(net);
  });
  for (int rank = 0; rank < 2; ++rank) {
    SCOPED_TRACE("rank " + std::to_string(rank));
    expect_same(got[rank], want, "summed");
  }
}

// The gradients live in the buckets' memory. An optimiser's zero_grad (which detaches them in
// place) and its steps work on them step after step, and a gradient that something else replaced
// between two steps is summed all the same: two ranks train the network one process trains.
TEST(GradientSum, AnOptimiserTrainsOnTheSummedGradientsStepAfterStep) {
  constexpr int kSteps = 3;
  const auto train = [](torch::nn::Sequential& net, const torch::Tensor& rows,
                        const std::function<void(int)>& around_backward) {
    torch::optim::Adam adam(net->parameters(), 0.05);
    for (int step = 0; step < kSteps; ++step) {
      adam.zero_grad();
      around_backward(step);
      loss_of(net, rows).backward();
      around_backward(-1);
      adam.step();
    }
  };
  torch::nn::Sequential whole = make_net();
  train(whole, torch::arange(kBatch), [](int) {});

  for (const std::int64_t bucket_bytes : {kSmallBuckets, GradientSum::kBucketBytes}) {
    SCOPED_TRACE("buckets of " + std::to_string(bucket_bytes) + " bytes");
    torch::nn::Sequential nets[2] = {make_net(), make_net()};
    on_two_ranks([&](DataParallel& parallel) {
      torch::nn::Sequential& net = nets[parallel.rank()];
      GradientSum grads(parallel, net->parameters(), bucket_bytes);
      train(net, parallel.own_positions(kBatch), [&](int step) {
        if (step < 0) return grads.finish();
        if (step == 1) {  // a fresh tensor, as an owner that sets gradients would put there
          torch::Tensor& grad = net->parameters()[2].mutable_grad();
          grad = torch::zeros_like(grad);
        }
        grads.begin();
      });
    });
    for (int rank = 0; rank < 2; ++rank) {
      SCOPED_TRACE("rank " + std::to_string(rank));
      for (std::size_t k = 0; k < whole->parameters().size(); ++k) {
        EXPECT_TRUE(torch::allclose(nets[rank]->parameters()[k], whole->parameters()[k], 0, 1e-12))
            << "parameter " << k;
      }
    }
  }
}

TEST(GradientSum, ASecondBackwardBeforeFinishIsADefectNotASilentlyWrongSum) {
  // The first backward's gradients start every bucket; a second one would add to the gradients
  // after their sums started, so finish() says so instead of writing a stale sum.
  bool refused[2] = {false, false};
  torch::nn::Sequential nets[2] = {make_net(), make_net()};
  on_two_ranks([&](DataParallel& parallel) {
    torch::nn::Sequential& net = nets[parallel.rank()];
    GradientSum grads(parallel, net->parameters(), kSmallBuckets);
    grads.begin();
    loss_of(net, parallel.own_positions(kBatch)).backward();
    loss_of(net, parallel.own_positions(kBatch)).backward();
    try {
      grads.finish();
    } catch (const Error& e) {
      refused[parallel.rank()] = e.kind() == ErrorKind::Internal;
    }
  });
  EXPECT_TRUE(refused[0]);
  EXPECT_TRUE(refused[1]);
}

#endif

}  // namespace
}  // namespace atelier
