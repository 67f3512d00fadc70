// Permuted AdaIN: identity when off, statistics of the partner when on, gradients, repeatability.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "atelier/compute.h"
#include "atelier/error.h"
#include "nn/permuted_adain.h"

namespace atelier {
namespace {

torch::Tensor channel_mean(const torch::Tensor& x) { return x.flatten(2).mean(-1); }
torch::Tensor channel_std(const torch::Tensor& x) { return x.flatten(2).std(-1, false); }

// Maps whose per-channel statistics differ clearly from sample to sample.
torch::Tensor varied_batch(std::int64_t n = 6) {
  torch::manual_seed(3);
  const auto scale = torch::linspace(0.5, 3.0, n).view({n, 1, 1, 1});
  const auto shift = torch::linspace(-2.0, 2.0, n).view({n, 1, 1, 1});
  return torch::randn({n, 4, 8, 8}) * scale + shift;
}

TEST(PermutedAdaIN, ProbabilityZeroIsTheIdentity) {
  nn::PermutedAdaIN layer(0.0);
  layer->train();
  const auto x = varied_batch();
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(torch::equal(layer->forward(x), x));
  EXPECT_FALSE(layer->last_permutation().defined());
}

TEST(PermutedAdaIN, EvalModeIsTheIdentityEvenWithProbabilityOne) {
  nn::PermutedAdaIN layer(1.0);
  layer->eval();
  const auto x = varied_batch();
  EXPECT_TRUE(torch::equal(layer->forward(x), x));
}

TEST(PermutedAdaIN, ProbabilityOneGivesEachSampleItsPartnersStatistics) {
  seed_everything(11);
  nn::PermutedAdaIN layer(1.0);
  layer->train();
  const auto x = varied_batch();
  const auto y = layer->forward(x);
  const auto perm = layer->last_permutation();
  ASSERT_TRUE(perm.defined());
  ASSERT_EQ(perm.size(0), x.size(0));
  EXPECT_TRUE(torch::equal(std::get<0>(perm.sort()), torch::arange(x.size(0))));
  EXPECT_TRUE(torch::allclose(channel_mean(y), channel_mean(x).index_select(0, perm), 1e-4, 1e-4));
  EXPECT_TRUE(torch::allclose(channel_std(y), channel_std(x).index_select(0, perm), 1e-3, 1e-3));
  // The normalised content is the sample's own: correlation with its input stays 1.
  for (std::int64_t i = 0; i < x.size(0); ++i) {
    if (perm[i].item<std::int64_t>() == i) continue;
    // Per channel affine maps with positive scale keep each channel's pattern.
    for (std::int64_t c = 0; c < x.size(1); ++c) {
      const auto u = x[i][c].flatten() - x[i][c].mean();
      const auto v = y[i][c].flatten() - y[i][c].mean();
      const double r = (u * v).sum().item<double>() / (u.norm() * v.norm()).item<double>();
      EXPECT_NEAR(r, 1.0, 1e-4);
    }
  }
}

TEST(PermutedAdaIN, ExplicitPermutationSwapsTwoSamples) {
  const auto x = varied_batch(2);
  const auto y = nn::permuted_adain(x, torch::tensor({1, 0}, torch::kLong));
  EXPECT_TRUE(torch::allclose(channel_mean(y[0].unsqueeze(0)), channel_mean(x[1].unsqueeze(0)),
                              1e-4, 1e-4));
  EXPECT_TRUE(torch::allclose(channel_std(y[1].unsqueeze(0)), channel_std(x[0].unsqueeze(0)),
                              1e-3, 1e-3));
}

TEST(PermutedAdaIN, GradientsFlowToTheInputButNotThroughThePartnersStatistics) {
  auto x = varied_batch(2).requires_grad_(true);
  const auto y = nn::permuted_adain(x, torch::tensor({1, 0}, torch::kLong));
  // Only sample 0's output is used: with detached partner statistics, sample 1 gets no gradient.
  y[0].pow(2).sum().backward();
  ASSERT_TRUE(x.grad().defined());
  EXPECT_GT(x.grad()[0].abs().sum().item<double>(), 0);
  EXPECT_EQ(x.grad()[1].abs().sum().item<double>(), 0);
}

TEST(PermutedAdaIN, OneByOneMapsAreSkipped) {
  nn::PermutedAdaIN layer(1.0);
  layer->train();
  const auto x = torch::randn({4, 8, 1, 1});
  EXPECT_TRUE(torch::equal(layer->forward(x), x));
}

TEST(PermutedAdaIN, SeededRunsRepeat) {
  const auto x = varied_batch(8);
  auto run = [&] {
    seed_everything(5);
    nn::PermutedAdaIN layer(0.5);
    layer->train();
    std::vector<torch::Tensor> outs;
    for (int i = 0; i < 10; ++i) outs.push_back(layer->forward(x));
    return torch::stack(outs);
  };
  const auto first = run();
  const auto second = run();
  EXPECT_TRUE(torch::equal(first, second));
  // With p = 0.5 over 10 passes, some passes swapped and some did not.
  int swapped = 0;
  for (int i = 0; i < 10; ++i) swapped += torch::equal(first[i], x) ? 0 : 1;
  EXPECT_GT(swapped, 0);
  EXPECT_LT(swapped, 10);
}

TEST(PermutedAdaIN, RejectsAProbabilityOutsideZeroOne) {
  EXPECT_THROW(nn::PermutedAdaIN(1.5), Error);
  EXPECT_THROW(nn::PermutedAdaIN(-0.1), Error);
}

}  // namespace
}  // namespace atelier
