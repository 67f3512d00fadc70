// Shared layers of the multi-scale GANs: shapes, widths, the residual rule, WGAN-GP's value on a
// critic whose gradient is known, the noise amplitude rule, and image pyramids.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "atelier/error.h"
#include "core/pyramid.h"
#include "nn/batch_norm.h"
#include "nn/conv3d_frames.h"
#include "nn/conv_block.h"
#include "nn/convolution.h"
#include "nn/generator_stack.h"
#include "nn/leaky_relu.h"
#include "nn/patch_nets.h"
#include "nn/spectral_norm.h"
#include "nn/wgan.h"

namespace atelier {
namespace {

using nn::PatchNetOptions;

TEST(ConvBlock, KeepsTheMapSizeAndSetsTheWidth) {
  nn::ConvBlock block(nn::ConvBlockOptions{3, 16, 3, 1, true, 0.2});
  const auto y = block->forward(torch::randn({2, 3, 20, 24}));
  EXPECT_EQ(y.sizes(), torch::IntArrayRef({2, 16, 20, 24}));
  EXPECT_TRUE(block->norm);
  nn::ConvBlock plain(nn::ConvBlockOptions{3, 4, 3, 1, false, 0.2});
  EXPECT_FALSE(plain->norm);
}

TEST(ConvBlock, LeakyReluKeepsAFifthOfNegatives) {
  nn::ConvBlock block(nn::ConvBlockOptions{1, 1, 1, 0, false, 0.2});
  torch::NoGradGuard no_grad;
  block->conv->weight.fill_(1);
  block->conv->bias.zero_();
  const auto y = block->forward(torch::tensor({-1.0f, 2.0f}).reshape({1, 1, 1, 2}));
  EXPECT_FLOAT_EQ(y[0][0][0][0].item<float>(), -0.2f);
  EXPECT_FLOAT_EQ(y[0][0][0][1].item<float>(), 2.0f);
}

TEST(PatchNets, OutputShapes) {
  PatchNetOptions o;
  nn::PatchGenerator g(o);
  nn::PatchDiscriminator d(o);
  const auto x = torch::randn({1, 3, 31, 47});
  EXPECT_EQ(g->forward(x, x).sizes(), x.sizes());
  EXPECT_EQ(d->forward(x).sizes(), torch::IntArrayRef({1, 1, 31, 47}));
  // Five conv layers: head, three body blocks, tail.
  EXPECT_EQ(g->features->size(), 4u);
}

TEST(PatchNets, WidthsHalveTowardTheTailButNotBelowTheMinimum) {
  PatchNetOptions o;
  o.width = 64;
  o.min_width = 16;
  nn::PatchGenerator g(o);
  std::vector<int64_t> widths;
  for (const auto& block : g->features->children()) {
    widths.push_back(block->as<nn::ConvBlockImpl>()->conv->options.out_channels());
  }
  EXPECT_EQ(widths, (std::vector<int64_t>{64, 32, 16, 16}));
  EXPECT_EQ(g->tail->options.in_channels(), 16);
  EXPECT_EQ(g->tail->options.out_channels(), 3);
}

TEST(PatchNets, ScaleWidthDoublesEveryFourScalesUpToTheCap) {
  EXPECT_EQ(nn::scale_width(0, 32, 128, 4), 32);
  EXPECT_EQ(nn::scale_width(3, 32, 128, 4), 32);
  EXPECT_EQ(nn::scale_width(4, 32, 128, 4), 64);
  EXPECT_EQ(nn::scale_width(8, 32, 128, 4), 128);
  EXPECT_EQ(nn::scale_width(13, 32, 128, 4), 128);
  EXPECT_EQ(nn::scale_width(9, 32, 128, 0), 32);
}

TEST(PatchNets, ResidualGeneratorWithAZeroNetReturnsItsInput) {
  PatchNetOptions o;
  nn::PatchGenerator g(o);
  torch::NoGradGuard no_grad;
  g->tail->weight.zero_();
  g->tail->bias.zero_();
  const auto prev = torch::rand({1, 3, 17, 23}) * 2 - 1;
  const auto noise = torch::randn({1, 3, 17, 23});
  EXPECT_TRUE(torch::equal(g->generate(noise, prev, 0.7), prev));

  o.residual = false;
  nn::PatchGenerator direct(o);
  direct->tail->weight.zero_();
  direct->tail->bias.zero_();
  EXPECT_EQ(direct->generate(noise, prev, 0.7).abs().max().item<float>(), 0.0f);
}

TEST(PatchNets, GeneratorSeesNoiseScaledByTheAmplitude) {
  PatchNetOptions o;
  o.batch_norm = false;
  nn::PatchGenerator g(o);
  g->eval();
  torch::NoGradGuard no_grad;
  const auto prev = torch::rand({1, 3, 16, 16}) * 2 - 1;
  const auto noise = torch::randn({1, 3, 16, 16});
  EXPECT_TRUE(torch::allclose(g->generate(noise, prev, 0.3), g->forward(prev + 0.3 * noise, prev)));
  EXPECT_TRUE(torch::equal(g->generate(noise, prev, 0.0), g->forward(prev, prev)));
}

// A linear critic sum(w * x) has gradient w everywhere, so the penalty is known exactly.
TEST(GradientPenalty, MatchesTheKnownValueForALinearCritic) {
  const auto w = torch::full({1, 3, 4, 4}, 0.5);
  const nn::Critic linear = [&](const torch::Tensor& x) { return (x * w).sum({1, 2, 3}); };
  const auto real = torch::randn({1, 3, 4, 4});
  const auto fake = torch::randn({1, 3, 4, 4});
  // Per pixel: |(0.5, 0.5, 0.5)| = sqrt(0.75).
  const double per_pixel = std::pow(std::sqrt(0.75) - 1, 2);
  EXPECT_NEAR(nn::gradient_penalty(linear, real, fake, nn::PenaltyNorm::PerPixel).item<double>(),
              per_pixel, 1e-6);
  // Per sample: |w| over 48 values = sqrt(12).
  const double per_sample = std::pow(std::sqrt(12.0) - 1, 2);
  EXPECT_NEAR(nn::gradient_penalty(linear, real, fake, nn::PenaltyNorm::PerSample).item<double>(),
              per_sample, 1e-5);
  // A critic with unit gradient everywhere is not penalised.
  const auto unit = torch::zeros({1, 3, 4, 4});
  unit.select(1, 0).fill_(1);
  const nn::Critic one = [&](const torch::Tensor& x) { return (x * unit).sum(); };
  EXPECT_NEAR(nn::gradient_penalty(one, real, fake).item<double>(), 0.0, 1e-9);
}

TEST(GradientPenalty, PenaltyIsTakenBetweenRealAndFake) {
  // critic(x) = sum(x^2) / 2 has gradient x: at mix = 1 the point is `real`.
  const nn::Critic square = [](const torch::Tensor& x) { return x.pow(2).sum() / 2; };
  const auto real = torch::full({1, 1, 1, 1}, 3.0);
  const auto fake = torch::full({1, 1, 1, 1}, -5.0);
  const auto at_real = nn::gradient_penalty(square, real, fake, nn::PenaltyNorm::PerSample,
                                            torch::ones({1, 1, 1, 1}));
  EXPECT_NEAR(at_real.item<double>(), 4.0, 1e-6);  // (|3| - 1)^2
  const auto at_fake = nn::gradient_penalty(square, real, fake, nn::PenaltyNorm::PerSample,
                                            torch::zeros({1, 1, 1, 1}));
  EXPECT_NEAR(at_fake.item<double>(), 16.0, 1e-6);  // (|-5| - 1)^2
}

TEST(GradientPenalty, TrainsThePatchCritic) {
  nn::PatchDiscriminator d(PatchNetOptions{});
  const auto real = torch::rand({1, 3, 12, 12});
  const auto fake = torch::rand({1, 3, 12, 12}).requires_grad_(true);
  const auto gp =
      nn::gradient_penalty([&](const torch::Tensor& x) { return d->forward(x); }, real, fake);
  gp.backward();
  const auto grad = d->tail->weight.grad();
  ASSERT_TRUE(grad.defined());
  EXPECT_TRUE(torch::isfinite(grad).all().item<bool>());
  EXPECT_GT(grad.abs().sum().item<double>(), 0.0);
  EXPECT_FALSE(fake.grad().defined());  // the fake is detached
}

TEST(GradientPenalty, WorksOnVideoClips) {
  // critic(x) = sum(x) has gradient 1 everywhere: per pixel |(1, 1, 1)| = sqrt(3).
  const nn::Critic sum = [](const torch::Tensor& x) { return x.sum(); };
  const auto real = torch::randn({2, 3, 4, 5, 6});
  const auto fake = torch::randn({2, 3, 4, 5, 6});
  EXPECT_NEAR(nn::gradient_penalty(sum, real, fake).item<double>(), std::pow(std::sqrt(3.0) - 1, 2),
              1e-5);
}

TEST(SpectralConv3d, NormalisesTheWeightToUnitSpectralNorm) {
  torch::manual_seed(3);
  nn::SpectralConv3d conv(4, 6, 3, 1);
  torch::NoGradGuard no_grad;
  conv->conv->weight.mul_(7);  // far from unit norm
  conv->train();
  for (int i = 0; i < 30; ++i) conv->normalized_weight();  // power iterations converge
  const auto w = conv->normalized_weight().flatten(1);
  const double largest = torch::linalg_svdvals(w).max().item<double>();
  EXPECT_NEAR(largest, 1.0, 1e-3);
  // Eval mode uses the estimate without changing it.
  conv->eval();
  const auto u = conv->u.clone();
  conv->forward(torch::randn({1, 4, 3, 5, 5}));
  EXPECT_TRUE(torch::equal(u, conv->u));
  EXPECT_EQ(conv->forward(torch::randn({1, 4, 3, 5, 5})).sizes(),
            torch::IntArrayRef({1, 6, 3, 5, 5}));
}

TEST(SpectralConv3d, SupportsTheDoubleBackwardOfTheGradientPenalty) {
  nn::SpectralConv3d conv(3, 1, 3, 1);
  conv->train();
  const auto real = torch::rand({1, 3, 3, 6, 6});
  const auto fake = torch::rand({1, 3, 3, 6, 6});
  const auto gp =
      nn::gradient_penalty([&](const torch::Tensor& x) { return conv->forward(x); }, real, fake);
  gp.backward();
  ASSERT_TRUE(conv->conv->weight.grad().defined());
  EXPECT_TRUE(torch::isfinite(conv->conv->weight.grad()).all().item<bool>());
}

// The gradient penalty's path through a conv + BatchNorm layer, first and second derivatives, in
// double precision: with LibTorch's BatchNorm (`fused` false) or nn::batch_norm_train.
template <typename Norm, typename Conv>
std::vector<torch::Tensor> penalty_gradients(bool fused, const torch::Tensor& input, Conv& conv,
                                             Norm& norm) {
  torch::Tensor x = input.clone().requires_grad_(true);
  const torch::Tensor h = conv->forward(x);
  const torch::Tensor y = fused ? nn::batch_norm_train(h, *norm) : norm->forward(h);
  // A critic's score that is not linear in y, so the second derivative sees every term.
  const torch::Tensor score =
      (torch::tanh(y) * torch::arange(y.numel(), y.options()).view(y.sizes()).remainder(7)).sum();
  // With respect to the input (the penalty) and to the norm's weights (alpha and beta terms).
  const auto first = torch::autograd::grad({score}, {x, norm->weight, norm->bias}, {},
                                           /*retain_graph=*/true, /*create_graph=*/true);
  const torch::Tensor penalty = (first[0].pow(2).sum() - 1).pow(2) + first[1].pow(3).sum() +
                                first[2].sin().sum() + y.pow(2).mean();
  const auto second = torch::autograd::grad({penalty}, {x, conv->weight, norm->weight, norm->bias});
  std::vector<torch::Tensor> all(first.begin(), first.end());
  all.insert(all.end(), second.begin(), second.end());
  all.push_back(y.detach());
  all.push_back(norm->running_mean.clone());
  all.push_back(norm->running_var.clone());
  return all;
}

template <typename Norm, typename Conv>
void expect_same_as_libtorch(const torch::Tensor& input, Conv conv, Norm norm) {
  norm->train();
  torch::NoGradGuard init_guard;
  norm->weight.uniform_(0.5, 1.5);
  norm->bias.uniform_(-0.5, 0.5);
  const auto state = [&] {
    return std::make_pair(norm->running_mean.clone(), norm->running_var.clone());
  };
  const auto saved = state();
  std::vector<torch::Tensor> reference, fused;
  {
    torch::AutoGradMode enable(true);
    reference = penalty_gradients(false, input, conv, norm);
    norm->running_mean.copy_(saved.first);
    norm->running_var.copy_(saved.second);
    fused = penalty_gradients(true, input, conv, norm);
  }
  ASSERT_EQ(reference.size(), fused.size());
  const char* names[] = {"dS/dx", "dS/dw", "dS/db", "dP/dx",        "dP/dconv",
                         "dP/dw", "dP/db", "y",     "running mean", "running var"};
  for (std::size_t i = 0; i < reference.size(); ++i) {
    const double scale = reference[i].abs().max().item<double>() + 1e-12;
    const double error = (reference[i] - fused[i]).abs().max().item<double>() / scale;
    EXPECT_LT(error, 1e-9) << names[i];
  }
}

TEST(BatchNormTrain, FirstAndSecondDerivativesAreLibTorchs) {
  torch::manual_seed(3);
  const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
  auto conv2 = torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 5, 3).padding(1));
  conv2->to(torch::kFloat64);
  auto norm2 = torch::nn::BatchNorm2d(5);
  norm2->to(torch::kFloat64);
  expect_same_as_libtorch(torch::randn({2, 3, 7, 6}, f64), conv2, norm2);
  auto conv3 = torch::nn::Conv3d(torch::nn::Conv3dOptions(3, 4, 3).padding(1));
  conv3->to(torch::kFloat64);
  auto norm3 = torch::nn::BatchNorm3d(4);
  norm3->to(torch::kFloat64);
  expect_same_as_libtorch(torch::randn({1, 3, 4, 5, 6}, f64), conv3, norm3);
  const nn::SecondDerivativeByTensorOps as_on_a_gpu;
  expect_same_as_libtorch(torch::randn({2, 3, 7, 6}, f64), conv2, norm2);
  expect_same_as_libtorch(torch::randn({1, 3, 4, 5, 6}, f64), conv3, norm3);
}

// The frame form of a 3-D convolution against LibTorch's own, in double precision: the output, the
// gradients of input, weight and bias, and the second derivative a gradient penalty takes; with
// zero padding in time and without (videogen pads time itself), and with spatial dilation.
TEST(Conv3dByFrames, IsTheSameConvolutionToTheSecondDerivative) {
  torch::manual_seed(5);
  const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
  struct Case {
    torch::nn::Conv3dOptions options;
    std::vector<std::int64_t> shape;
  };
  const std::vector<Case> cases = {
      {torch::nn::Conv3dOptions(16, 8, 3).padding(1), {1, 16, 6, 7, 5}},
      {torch::nn::Conv3dOptions(16, 8, 3).padding({1, 1, 0}), {1, 16, 6, 7, 5}},
      {torch::nn::Conv3dOptions(16, 4, 3).padding({2, 2, 1}).dilation({2, 2, 1}), {1, 16, 9, 8, 4}},
      {torch::nn::Conv3dOptions(3, 8, 3).padding({1, 1, 0}), {1, 3, 6, 7, 5}},
  };
  for (const Case& c : cases) {
    torch::nn::Conv3d conv(c.options);
    conv->to(torch::kFloat64);
    const torch::Tensor x = torch::randn(c.shape, f64).requires_grad_(true);
    auto derivatives = [&](bool frames) {
      const torch::Tensor y = frames ? nn::conv3d_by_frames(*conv, x) : conv->forward(x);
      const torch::Tensor gx =
          torch::autograd::grad({y.square().sum()}, {x}, {}, true, /*create_graph=*/true)[0];
      const auto second = torch::autograd::grad({gx.square().sum()}, {x, conv->weight, conv->bias});
      return std::vector<torch::Tensor>{y, gx, second[0], second[1], second[2]};
    };
    const auto want = derivatives(false), got = derivatives(true);
    for (std::size_t i = 0; i < want.size(); ++i) {
      ASSERT_EQ(got[i].sizes(), want[i].sizes()) << i;
      EXPECT_LT((got[i] - want[i]).abs().max().item<double>(),
                1e-9 * (1 + want[i].abs().max().item<double>()))
          << "derivative " << i << " of case " << &c - cases.data();
    }
  }
}

// nn::conv2d and nn::conv3d against LibTorch's modules, in double precision: the output, the first
// derivatives, and the second derivative of a loss on all three of them (the penalty's term and
// the two it does not take), with batches, strides, dilation, groups, no padding and no bias.
template <typename Conv, typename Ours>
void expect_libtorchs_convolution(Conv conv, const std::vector<std::int64_t>& shape, Ours ours,
                                  const std::string& name) {
  conv->to(torch::kFloat64);
  const torch::Tensor x = torch::randn(shape, torch::kFloat64).requires_grad_(true);
  std::vector<torch::Tensor> inputs{x, conv->weight};
  if (conv->bias.defined()) inputs.push_back(conv->bias);
  auto derivatives = [&](bool by_ours) {
    const torch::Tensor y = by_ours ? ours(*conv, x) : conv->forward(x);
    const torch::Tensor score =
        (torch::tanh(y) * torch::arange(y.numel(), y.options()).view(y.sizes()).remainder(5)).sum();
    const auto first = torch::autograd::grad({score}, inputs, {}, true, /*create_graph=*/true);
    torch::Tensor loss = first[0].square().sum() + first[1].pow(3).sum() + y.square().mean();
    if (first.size() > 2) loss = loss + first[2].sin().sum();
    const auto second = torch::autograd::grad({loss}, inputs);
    std::vector<torch::Tensor> all{y};
    all.insert(all.end(), first.begin(), first.end());
    all.insert(all.end(), second.begin(), second.end());
    return all;
  };
  const std::vector<torch::Tensor> want = derivatives(false), got = derivatives(true);
  ASSERT_EQ(got.size(), want.size()) << name;
  for (std::size_t i = 0; i < want.size(); ++i) {
    ASSERT_EQ(got[i].sizes(), want[i].sizes()) << name << ", " << i;
    EXPECT_LT((got[i] - want[i]).abs().max().item<double>(),
              1e-9 * (1 + want[i].abs().max().item<double>()))
        << "derivative " << i << " of " << name;
  }
}

TEST(Convolution, IsLibTorchsToTheSecondDerivative) {
  torch::manual_seed(6);
  using torch::nn::Conv2dOptions, torch::nn::Conv3dOptions;
  const auto conv2d = [](torch::nn::Conv2dImpl& c, const torch::Tensor& x) {
    return nn::conv2d(c, x);
  };
  const auto conv3d = [](torch::nn::Conv3dImpl& c, const torch::Tensor& x) {
    return nn::conv3d(c, x);
  };
  expect_libtorchs_convolution(torch::nn::Conv2d(Conv2dOptions(5, 6, 3).padding(1)), {2, 5, 9, 8},
                               conv2d, "2-D");
  expect_libtorchs_convolution(torch::nn::Conv2d(Conv2dOptions(3, 4, 3).padding(1)), {1, 3, 7, 7},
                               conv2d, "2-D, batch 1");
  expect_libtorchs_convolution(
      torch::nn::Conv2d(Conv2dOptions(4, 6, 3).stride(2).dilation(2).padding(2).groups(2)),
      {3, 4, 11, 9}, conv2d, "2-D, strided, dilated, grouped");
  expect_libtorchs_convolution(
      torch::nn::Conv2d(Conv2dOptions(4, 2, {3, 1}).padding(0).bias(false)), {2, 4, 6, 5}, conv2d,
      "2-D, no padding, no bias");
  expect_libtorchs_convolution(torch::nn::Conv3d(Conv3dOptions(3, 4, 3).padding({1, 1, 0})),
                               {1, 3, 6, 5, 4}, conv3d, "3-D");
  expect_libtorchs_convolution(
      torch::nn::Conv3d(Conv3dOptions(4, 2, 3).padding(2).dilation({2, 2, 1})), {2, 4, 7, 6, 5},
      conv3d, "3-D, dilated");
}

// nn::leaky_relu_ against torch::leaky_relu_ after a convolution, in double precision: values,
// the input gradient, and the second derivative a penalty on that gradient takes.
TEST(LeakyRelu, IsLibTorchsToTheSecondDerivative) {
  torch::manual_seed(8);
  torch::nn::Conv2d conv(torch::nn::Conv2dOptions(3, 4, 3).padding(1));
  conv->to(torch::kFloat64);
  const torch::Tensor x = torch::randn({2, 3, 6, 5}, torch::kFloat64).requires_grad_(true);
  auto derivatives = [&](bool ours) {
    torch::Tensor h = conv->forward(x);
    const torch::Tensor y = ours ? nn::leaky_relu_(h, 0.2) : torch::leaky_relu_(h, 0.2);
    const torch::Tensor score =
        (y.square() * torch::arange(y.numel(), y.options()).view(y.sizes()).remainder(3)).sum();
    const torch::Tensor gx = torch::autograd::grad({score}, {x}, {}, true, true)[0];
    const auto second = torch::autograd::grad({gx.pow(3).sum() + y.sum()}, {x, conv->weight});
    return std::vector<torch::Tensor>{y, gx, second[0], second[1]};
  };
  const auto want = derivatives(false), got = derivatives(true);
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_LT((got[i] - want[i]).abs().max().item<double>(),
              1e-9 * (1 + want[i].abs().max().item<double>()))
        << "derivative " << i;
  }
  EXPECT_GT(want[0].lt(0).sum().item<int>(), 0);  // both slopes are used
}

TEST(Conv3dByFrames, IsChosenOnlyWhereLibTorchWouldUseItsSlowKernel) {
  torch::nn::Conv3d conv(torch::nn::Conv3dOptions(32, 32, 3).padding(1));
  EXPECT_TRUE(nn::conv3d_prefers_frames(*conv, torch::zeros({1, 32, 16, 21, 5})));
  EXPECT_FALSE(nn::conv3d_prefers_frames(*conv, torch::zeros({1, 32, 28, 37, 8})));  // oneDNN
  EXPECT_FALSE(nn::conv3d_prefers_frames(*conv, torch::zeros({2, 32, 16, 21, 5})));  // a batch
  torch::nn::Conv3d thin(torch::nn::Conv3dOptions(3, 32, 3).padding(1));
  EXPECT_TRUE(nn::conv3d_prefers_frames(*thin, torch::zeros({1, 3, 48, 64, 15})));
  EXPECT_FALSE(nn::conv3d_prefers_frames(*thin, torch::zeros({1, 3, 96, 128, 15})));  // oneDNN
  torch::nn::Conv3d strided(torch::nn::Conv3dOptions(32, 32, 3).padding(1).stride(2));
  EXPECT_FALSE(nn::conv3d_prefers_frames(*strided, torch::zeros({1, 32, 16, 21, 5})));
  EXPECT_THROW(nn::conv3d_by_frames(*strided, torch::zeros({1, 32, 16, 21, 5})), Error);
}

TEST(BatchNormTrain, ConvBlocksTrainThroughItAndEvaluateWithTheRunningStatistics) {
  nn::ConvBlock block(nn::ConvBlockOptions{3, 8, 3, 1, true, 0.2});
  const torch::Tensor x = torch::randn({1, 3, 16, 16});
  block->train();
  const torch::Tensor trained = block->forward(x);
  EXPECT_EQ(block->norm->num_batches_tracked.item<std::int64_t>(), 1);
  EXPECT_GT(block->norm->running_var.sum().item<double>(), 0.0);
  EXPECT_TRUE(trained.requires_grad());
  block->eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor evaluated = block->forward(x);
  EXPECT_EQ(block->norm->num_batches_tracked.item<std::int64_t>(), 1);  // eval leaves them alone
  EXPECT_FALSE(torch::allclose(trained, evaluated));  // running statistics, not the batch's
}

// What a gradient penalty takes from one conv + BatchNorm block over `input`'s pictures, each
// picture's penalty on its own: outputs, input gradients (first and second), and the weight
// gradients summed over the pictures.
std::vector<torch::Tensor> per_picture_derivatives(nn::ConvBlock& block,
                                                   const torch::Tensor& input) {
  torch::Tensor x = input.clone().requires_grad_(true);
  const torch::Tensor y = block->forward(x);
  const torch::Tensor pattern = torch::arange(y[0].numel(), y.options()).view(y[0].sizes()) % 7;
  const torch::Tensor score = (torch::tanh(y) * pattern).sum();
  const auto first = torch::autograd::grad({score}, {x, block->conv->weight, block->norm->weight},
                                           {}, /*retain_graph=*/true, /*create_graph=*/true);
  const torch::Tensor penalty = (first[0].pow(2).flatten(1).sum(1) - 1).pow(2).sum();
  const auto second = torch::autograd::grad(
      {penalty}, {x, block->conv->weight, block->norm->weight, block->norm->bias});
  return {y.detach(), first[0].detach(), first[1].detach(), first[2].detach(),
          second[0],  second[1],         second[2],         second[3]};
}

TEST(BatchNormPerPicture, IsEachPictureTrainedOnItsOwn) {
  torch::manual_seed(11);
  const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
  nn::ConvBlockOptions options{3, 5, 3, 1, true, 0.2};
  options.norm_per_picture = true;
  nn::ConvBlock batched(options), one_by_one(options);
  batched->to(torch::kFloat64);
  one_by_one->to(torch::kFloat64);
  {
    torch::NoGradGuard no_grad;
    batched->norm->weight.uniform_(0.5, 1.5);
    batched->norm->bias.uniform_(-0.5, 0.5);
    for (const auto& p : batched->named_parameters())
      one_by_one->named_parameters()[p.key()].copy_(p.value());
  }
  // Three pictures with very different statistics, so a shared normalisation would show.
  const torch::Tensor x =
      torch::randn({3, 3, 7, 6}, f64) * torch::tensor({0.5, 2.0, 4.0}, f64).view({3, 1, 1, 1}) +
      torch::tensor({-1.0, 0.0, 3.0}, f64).view({3, 1, 1, 1});
  const auto together = per_picture_derivatives(batched, x);
  std::vector<std::vector<torch::Tensor>> alone;
  for (int i = 0; i < 3; ++i)
    alone.push_back(per_picture_derivatives(one_by_one, x.narrow(0, i, 1)));
  const char* names[] = {"y", "dS/dx", "dS/dconv", "dS/dw", "dP/dx", "dP/dconv", "dP/dw", "dP/db"};
  for (std::size_t d = 0; d < together.size(); ++d) {
    torch::Tensor want;
    if (d == 0 || d == 1 || d == 4) {  // per picture: one row each
      want = torch::cat({alone[0][d], alone[1][d], alone[2][d]});
    } else {  // weights: summed over the pictures
      want = alone[0][d] + alone[1][d] + alone[2][d];
    }
    const double scale = want.abs().max().item<double>() + 1e-12;
    EXPECT_LT((together[d] - want).abs().max().item<double>() / scale, 1e-9) << names[d];
  }
  EXPECT_EQ(batched->norm->num_batches_tracked.item<std::int64_t>(), 3);
  EXPECT_TRUE(
      torch::allclose(batched->norm->running_mean, one_by_one->norm->running_mean, 1e-12, 1e-12));
  EXPECT_TRUE(
      torch::allclose(batched->norm->running_var, one_by_one->norm->running_var, 1e-12, 1e-12));
}

// Outside training a per-picture block still normalises each picture by its own statistics, as it
// did in training, and leaves the running statistics (which average other pictures) alone.
TEST(BatchNormPerPicture, NormalisesEachPictureOnItsOwnOutsideTrainingToo) {
  torch::manual_seed(12);
  nn::ConvBlockOptions options{3, 5, 3, 1, true, 0.2};
  options.norm_per_picture = true;
  nn::ConvBlock block(options);
  const torch::Tensor x =
      torch::randn({2, 3, 9, 7}) * torch::tensor({0.5, 3.0}).view({2, 1, 1, 1}) +
      torch::tensor({-1.0, 2.0}).view({2, 1, 1, 1});
  block->train();
  const torch::Tensor trained = block->forward(x).detach();
  const torch::Tensor running_mean = block->norm->running_mean.clone();
  block->eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor first_alone = block->forward(x.narrow(0, 0, 1));
  const torch::Tensor both = block->forward(x);
  EXPECT_LT((both - trained).abs().max().item<double>(), 1e-5);
  EXPECT_LT((first_alone - trained.narrow(0, 0, 1)).abs().max().item<double>(), 1e-5);
  EXPECT_TRUE(torch::equal(block->norm->running_mean, running_mean));
  EXPECT_EQ(block->norm->num_batches_tracked.item<std::int64_t>(), 2);
  // The running statistics would have normalised the picture differently.
  options.norm_per_picture = false;
  nn::ConvBlock shared(options);
  for (const auto& p : block->named_parameters())
    shared->named_parameters()[p.key()].copy_(p.value());
  for (const auto& b : block->named_buffers()) shared->named_buffers()[b.key()].copy_(b.value());
  shared->eval();
  EXPECT_GT((shared->forward(x) - both).abs().max().item<double>(), 0.1);
}

// singan's generator step runs its sample and its reconstruction as one batch of two: the same
// pictures as two runs, also where the reconstruction has no noise (zeros stand in for none) and
// where no coarser scale gives the first one its input.
TEST(GeneratorStack, RunsABatchOfPicturesAsThoseRunsOneByOne) {
  torch::manual_seed(4);
  nn::GeneratorStack stack;
  stack.sizes = {{10, 8}, {14, 11}, {19, 15}};
  for (int k = 0; k < 3; ++k) {
    PatchNetOptions o;
    o.width = 8;
    o.min_width = 8;
    o.norm_per_picture = true;
    stack.generators.push_back(nn::PatchGenerator(o));
    stack.amps.push_back(k == 0 ? 1.0 : 0.3);
  }
  stack.rec_noise = torch::randn({1, 3, 8, 10});
  const auto noise = nn::draw_noise(stack.sizes, 0, 2, torch::kCPU);
  const auto rec = stack.rec_plan();
  const auto both = stack.sample_and_reconstruction(0, 2, {}, noise, {});
  const torch::Tensor one = stack.run(0, 2, {}, noise, stack.sizes);
  const torch::Tensor other = stack.run(0, 2, {}, rec, stack.sizes);
  const torch::Tensor together = stack.run(0, 2, both.prev, both.noise, stack.sizes);
  ASSERT_EQ(together.size(0), 2);
  EXPECT_LT((together - torch::cat({one, other})).abs().max().item<double>(), 1e-5);
  // From a coarser scale's pictures, as when the oldest scales are frozen.
  const torch::Tensor prev = torch::rand({1, 3, 8, 10}), rec_prev = torch::rand({1, 3, 8, 10});
  const auto from = stack.sample_and_reconstruction(1, 2, prev, noise, rec_prev);
  const torch::Tensor from_prev = stack.run(1, 2, from.prev, from.noise, stack.sizes);
  const torch::Tensor first = stack.run(1, 2, prev, noise, stack.sizes);
  const torch::Tensor second = stack.run(1, 2, rec_prev, rec, stack.sizes);
  EXPECT_LT((from_prev - torch::cat({first, second})).abs().max().item<double>(), 1e-5);
}

TEST(NoiseAmplitude, IsTheFactorTimesTheRmse) {
  const auto real = torch::zeros({1, 3, 8, 8});
  EXPECT_NEAR(nn::noise_amplitude(real, torch::full({1, 3, 8, 8}, 0.5), 0.1), 0.05, 1e-7);
  EXPECT_NEAR(nn::noise_amplitude(real, real, 0.1), 0.0, 1e-9);
}

TEST(Pyramid, SinganSizesKeepTheAspectAndEndAtTheImage) {
  const auto sizes = pyramid_sizes(128, 85, PyramidSpec{25, 250, 0.75, 0, false});
  ASSERT_EQ(sizes.size(), 6u);  // 85 -> 25 with 0.75 per step needs 4.25, so 5 steps
  EXPECT_EQ(sizes.back(), (ScaleSize{128, 85}));
  EXPECT_EQ(sizes.front().height, 25);
  for (std::size_t i = 1; i < sizes.size(); ++i) {
    EXPECT_GT(sizes[i].height, sizes[i - 1].height);
    EXPECT_NEAR(double(sizes[i].width) / sizes[i].height, 128.0 / 85, 0.05);
    // The factor is adjusted so that five equal steps go from 25 to 85.
    EXPECT_NEAR(double(sizes[i - 1].height) / sizes[i].height, std::pow(25.0 / 85, 0.2), 0.03);
  }
}

TEST(Pyramid, UnevenSpacingIsDenserAtLowResolution) {
  const auto even = pyramid_sizes(250, 250, PyramidSpec{25, 250, 0.75, 6, false});
  const auto uneven = pyramid_sizes(250, 250, PyramidSpec{25, 250, 0.75, 6, true});
  ASSERT_EQ(uneven.size(), 6u);
  EXPECT_EQ(uneven.front(), even.front());
  EXPECT_EQ(uneven.back(), even.back());
  EXPECT_LT(uneven[1].width, even[1].width);  // the second scale sits closer to the first
  // Ratios between neighbours grow toward the fine end.
  const double first_step = double(uneven[1].width) / uneven[0].width;
  const double last_step = double(uneven[5].width) / uneven[4].width;
  EXPECT_LT(first_step, last_step);
}

TEST(Pyramid, ShrinksLargeImagesAndRefusesSmallOnes) {
  const auto sizes = pyramid_sizes(2000, 1000, PyramidSpec{25, 250, 0.75, 0, false});
  EXPECT_EQ(sizes.back(), (ScaleSize{250, 125}));
  try {
    pyramid_sizes(40, 20, PyramidSpec{25, 250, 0.75, 0, false});
    FAIL() << "a 40x20 image passed a 25 px minimum";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput);
    EXPECT_NE(std::string(e.what()).find("at least 25"), std::string::npos) << e.what();
  }
  EXPECT_EQ(pyramid_sizes(25, 30, PyramidSpec{25, 250, 0.75, 0, false}).size(), 1u);
}

TEST(Pyramid, BuildsTensorsAtEverySize) {
  const auto image = torch::rand({1, 3, 85, 128}) * 2 - 1;
  const auto sizes = pyramid_sizes(128, 85, PyramidSpec{25, 250, 0.75, 0, false});
  const auto levels = build_pyramid(image, sizes);
  ASSERT_EQ(levels.size(), sizes.size());
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    EXPECT_EQ(levels[i].size(2), sizes[i].height);
    EXPECT_EQ(levels[i].size(3), sizes[i].width);
    EXPECT_LE(levels[i].abs().max().item<float>(), 1.0f);
  }
  EXPECT_TRUE(torch::equal(levels.back(), image));
  // A flat image stays flat at every scale (the filters are normalised).
  const auto flat = build_pyramid(torch::full({1, 3, 85, 128}, 0.25), sizes);
  EXPECT_NEAR(flat.front().mean().item<double>(), 0.25, 1e-5);
  EXPECT_NEAR((flat.front() - 0.25).abs().max().item<double>(), 0.0, 1e-5);
}

TEST(Pyramid, RetargetScalesEveryLevel) {
  const std::vector<ScaleSize> sizes{{25, 25}, {50, 50}, {100, 100}};
  const auto wide = retarget_sizes(sizes, 200, 100);
  EXPECT_EQ(wide, (std::vector<ScaleSize>{{50, 25}, {100, 50}, {200, 100}}));
}

}  // namespace
}  // namespace atelier
