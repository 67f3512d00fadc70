// FusedAdam takes the steps of LibTorch's Adam: the same parameters and the same state after
// several steps, with groups of their own rates and weight decay, in float and double, and with
// a parameter that only Adam's own step can take.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <c10/util/string_utils.h>

#include <string>
#include <vector>

#include "nn/fused_adam.h"

namespace atelier {
namespace {

struct Setup {
  std::vector<torch::Tensor> a, b;  // the parameters, in two groups
};

Setup make_parameters(torch::ScalarType dtype, bool one_not_contiguous) {
  torch::manual_seed(5);
  const auto opts = torch::TensorOptions().dtype(dtype);
  Setup s;
  s.a = {torch::randn({4, 3, 3, 3}, opts), torch::randn({4}, opts)};
  s.b = {torch::randn({10, 7}, opts),
         one_not_contiguous ? torch::randn({5, 6}, opts).t() : torch::randn({6, 5}, opts)};
  for (auto* group : {&s.a, &s.b})
    for (torch::Tensor& p : *group) p.requires_grad_(true);
  return s;
}

template <typename Optimiser>
Setup train(torch::ScalarType dtype, bool one_not_contiguous, std::vector<double>& steps_seen) {
  Setup s = make_parameters(dtype, one_not_contiguous);
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(s.a, std::make_unique<torch::optim::AdamOptions>(
                               torch::optim::AdamOptions(0.01).betas({0.5, 0.999})));
  groups.emplace_back(s.b, std::make_unique<torch::optim::AdamOptions>(
                               torch::optim::AdamOptions(0.003).weight_decay(0.1)));
  Optimiser adam(std::move(groups), torch::optim::AdamOptions(0.002));
  torch::manual_seed(6);
  for (int step = 0; step < 5; ++step) {
    adam.zero_grad();
    for (auto* group : {&s.a, &s.b}) {
      for (torch::Tensor& p : *group) {
        if (step == 2 && p.numel() == 4) {  // a parameter without a gradient this step
          p.mutable_grad().reset();
          continue;
        }
        (p * torch::randn(p.sizes(), p.options())).sum().backward();
      }
    }
    adam.step();
  }
  for (auto* group : {&s.a, &s.b}) {
    for (torch::Tensor& p : *group) {
      auto& state = static_cast<torch::optim::AdamParamState&>(
          *adam.state().at(c10::guts::to_string(p.unsafeGetTensorImpl())));
      steps_seen.push_back(static_cast<double>(state.step()));
      steps_seen.push_back(state.exp_avg_sq().sum().item<double>());
    }
  }
  return s;
}

void expect_same_training(torch::ScalarType dtype, bool one_not_contiguous, double tolerance) {
  std::vector<double> fused_state, plain_state;
  const Setup fused = train<nn::FusedAdam>(dtype, one_not_contiguous, fused_state);
  const Setup plain = train<torch::optim::Adam>(dtype, one_not_contiguous, plain_state);
  for (std::size_t g = 0; g < 2; ++g) {
    const auto& f = g == 0 ? fused.a : fused.b;
    const auto& p = g == 0 ? plain.a : plain.b;
    for (std::size_t k = 0; k < f.size(); ++k) {
      EXPECT_TRUE(torch::allclose(f[k], p[k], tolerance, tolerance))
          << "group " << g << ", parameter " << k << ": off by "
          << (f[k] - p[k]).abs().max().item<double>();
    }
  }
  ASSERT_EQ(fused_state.size(), plain_state.size());
  for (std::size_t k = 0; k < fused_state.size(); ++k)
    EXPECT_NEAR(fused_state[k], plain_state[k], tolerance * (1 + std::abs(plain_state[k])));
  EXPECT_EQ(fused_state[2], 4);  // the step it had no gradient is not counted
}

TEST(FusedAdam, TakesAdamsStepsInDouble) {
  expect_same_training(torch::kDouble, false, 1e-12);
}

TEST(FusedAdam, TakesAdamsStepsInFloat) {
  expect_same_training(torch::kFloat, false, 1e-5);
}

TEST(FusedAdam, LeavesAParameterItCannotTakeToAdamsOwnStep) {
  expect_same_training(torch::kDouble, true, 1e-12);
}

// A graph that saved a parameter's old values refuses to run after a step, as it does after
// Adam's in-place operations, instead of mixing old and new values.
TEST(FusedAdam, AStepInvalidatesGraphsThatSavedTheParameter) {
  torch::Tensor p = torch::randn({8}).requires_grad_(true);
  nn::FusedAdam adam(std::vector<torch::Tensor>{p}, torch::optim::AdamOptions(0.1));
  p.square().sum().backward();
  const torch::Tensor stale = p.square().sum();
  adam.step();
  EXPECT_THROW(stale.backward(), c10::Error);
}

}  // namespace
}  // namespace atelier
