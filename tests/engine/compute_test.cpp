// Device choice, thread settings, seeding and the core benchmark.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <thread>

#include "atelier/bench.h"
#include "atelier/compute.h"
#include "atelier/error.h"
#include "core/device.h"
#include "core/machine_load.h"

using namespace atelier;

TEST(Compute, ThreadCountIsApplied) {
  apply_compute_options({"cpu", 1});
  EXPECT_EQ(at::get_num_threads(), 1);
  apply_compute_options({"cpu", 2});
  EXPECT_EQ(at::get_num_threads(), 2);
  EXPECT_EQ(system_info().threads, 2);
  EXPECT_FALSE(system_info().automatic_threads);
  apply_compute_options({"cpu", 0});  // automatic: between 1 and every usable core
  const SystemInfo info = system_info();
  EXPECT_TRUE(info.automatic_threads);
  EXPECT_GE(at::get_num_threads(), 1);
  EXPECT_LE(at::get_num_threads(), info.usable_cores);
  EXPECT_LE(info.usable_cores, info.logical_cores);
}

// A thread that never chose a setting (a renderer) takes the process's latest one.
TEST(Compute, AThreadWithoutASettingFollowsTheProcess) {
  apply_compute_options({"cpu", 1});
  int seen = 0;
  std::thread renderer([&] {
    at::set_num_threads(2);  // what a library might have left behind
    adapt_threads();
    seen = at::get_num_threads();
  });
  renderer.join();
  EXPECT_EQ(seen, 1);
}

TEST(Compute, DevicesResolveOrFailClearly) {
  EXPECT_EQ(resolve_device({"cpu", 0}), torch::Device(torch::kCPU));
  const torch::Device automatic = resolve_device({"auto", 0});
  EXPECT_EQ(automatic.is_cuda(), torch::cuda::is_available());
  for (const char* bad : {"tpu", "cuda:x", "cuda:", "cpu0"}) {
    try {
      resolve_device({bad, 0});
      if (std::string(bad).rfind("cuda", 0) != 0 || !torch::cuda::is_available())
        ADD_FAILURE() << bad << " was accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Usage);
      EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
    }
  }
  if (!torch::cuda::is_available()) {
    EXPECT_THROW(resolve_device({"cuda", 0}), Error);
  }
  EXPECT_THROW(apply_compute_options({"cpu", -1}), Error);
  try {
    apply_compute_options({"cpu", 100000});
    ADD_FAILURE() << "100000 threads were accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Usage);
    EXPECT_NE(std::string(e.what()).find("100000"), std::string::npos) << e.what();
  }
}

// A few optimisation steps of a small conv net from a seed: the same seed gives the same bytes.
static torch::Tensor seeded_training_run(std::uint64_t seed) {
  prepare_compute({"cpu", 2}, seed);
  torch::nn::Sequential net(torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 8, 3).padding(1)),
                            torch::nn::BatchNorm2d(8), torch::nn::LeakyReLU(),
                            torch::nn::Conv2d(torch::nn::Conv2dOptions(8, 3, 3).padding(1)));
  torch::optim::Adam adam(net->parameters(), torch::optim::AdamOptions(1e-3));
  const auto target = torch::rand({4, 3, 16, 16});
  for (int step = 0; step < 5; ++step) {
    const auto noise = torch::randn({4, 3, 16, 16});
    adam.zero_grad();
    torch::mse_loss(net->forward(noise), target).backward();
    adam.step();
  }
  torch::NoGradGuard no_grad;
  return net->forward(torch::randn({1, 3, 16, 16})).contiguous();
}

TEST(Compute, OneSeedMakesACpuRunRepeatable) {
  const auto first = seeded_training_run(7);
  const auto second = seeded_training_run(7);
  const auto other = seeded_training_run(8);
  ASSERT_EQ(first.numel(), second.numel());
  EXPECT_EQ(std::memcmp(first.data_ptr(), second.data_ptr(), first.numel() * sizeof(float)), 0);
  EXPECT_FALSE(torch::equal(first, other));
}

TEST(Compute, SystemInfoNamesTheLibraries) {
  const SystemInfo info = system_info();
  EXPECT_FALSE(info.torch_version.empty());
  EXPECT_FALSE(info.opencv_version.empty());
  EXPECT_GE(info.logical_cores, 1);
  EXPECT_NE(info.blas.find("blas"), std::string::npos) << info.blas;
}

TEST(Compute, CoreBenchMeasuresPositiveThroughput) {
  CoreBenchOptions options;
  options.compute = {"cpu", 1};
  options.matmul_size = 128;
  options.conv_channels = 8;
  options.conv_size = 32;
  options.repeats = 3;
  const CoreBenchResult r = bench_core(options);
  EXPECT_EQ(r.threads, 1);
  EXPECT_EQ(r.device, "cpu");
  EXPECT_GT(r.matmul_gflops, 0.01);
  EXPECT_GT(r.conv_forward_gflops, 0.01);
  EXPECT_GT(r.conv_forward_ms, 0.0);
  EXPECT_GT(r.conv_train_ms, 0.0);
}

// One thread fewer for each core other programs take, back once they leave it, with a margin
// each way so that a load at the edge does not make the count swing.
TEST(Compute, ThreadsFollowTheLoadWithHysteresis) {
  EXPECT_EQ(threads_for_load(0.0, 2, 2, 2), 2);
  EXPECT_EQ(threads_for_load(0.67, 2, 2, 2), 1);  // a busy loop beside two threads
  EXPECT_EQ(threads_for_load(1.0, 2, 2, 1), 1);   // the same loop beside one
  EXPECT_EQ(threads_for_load(0.3, 2, 2, 2), 2);   // a light load keeps both
  EXPECT_EQ(threads_for_load(0.3, 2, 2, 1), 1);   // and does not bring the second back yet
  EXPECT_EQ(threads_for_load(0.1, 2, 2, 1), 2);   // an idle machine does
  EXPECT_EQ(threads_for_load(2.0, 2, 2, 2), 1);   // never below one
  EXPECT_EQ(threads_for_load(2.5, 8, 8, 8), 5);   // three cores taken of eight
  EXPECT_EQ(threads_for_load(0.0, 8, 4, 4), 4);   // never above the most asked for
  EXPECT_EQ(threads_for_load(-1, 8, 4, 1), 4);    // an unknown load: the most asked for
}

// A data-parallel rank spins while it waits only where no other program waits for a core.
TEST(Compute, ExchangesSpinOnlyWhileTheMachineLeavesACoreUnused) {
  // Two ranks of one thread on two cores, each asleep a fifth of the time while it waits.
  EXPECT_TRUE(spin_for_load({0.8, 0.8}, 2, false));
  // Spinning, each keeps its core: they go on. (Also one rank alone whose other core a program
  // took: it still gets its own.)
  EXPECT_TRUE(spin_for_load({1.0, 1.0}, 2, true));
  // A busy program comes: the kernel shares the two cores among three, so they stop.
  EXPECT_FALSE(spin_for_load({1.33, 0.67}, 2, true));
  // Asleep while they wait, the busy program takes what they leave: no core goes unused.
  EXPECT_FALSE(spin_for_load({1.3, 0.7}, 2, false));
  // One rank alone on its machine, the other core idle: it spins.
  EXPECT_TRUE(spin_for_load({0.0, 0.9}, 2, false));
  // The load could not be read.
  EXPECT_FALSE(spin_for_load({}, 2, false));
}
