// Automatic threads beside another program: the machine's load is measured, a busy core is left
// to the other program, and taken back when it is free. These tests start a busy process of their
// own, so they run alone (RUN_SERIAL): another test beside them is a load too.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <chrono>
#include <thread>

#include "atelier/compute.h"
#include "atelier/singan.h"
#include "core/busy_program.h"
#include "core/machine_load.h"

using namespace atelier;

namespace {

void sleep_s(double seconds) {
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
}

// Calls adapt_threads() between small units of work until the thread count is `wanted` or
// `timeout_s` passes; returns the count it ended with.
int adapt_until(int wanted, double timeout_s) {
  const auto start = std::chrono::steady_clock::now();
  const auto work = torch::rand({128, 128});
  while (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() <
         timeout_s) {
    adapt_threads();
    if (at::get_num_threads() == wanted) break;
    (void)torch::mm(work, work);
    sleep_s(0.02);
  }
  return at::get_num_threads();
}

}  // namespace

TEST(ThreadLoad, ABusyProgramShowsAsAboutOneCoreOfOthersLoad) {
  MachineLoad load;
  sleep_s(0.5);
  const double quiet = load.others_since_last();
  ASSERT_GE(quiet, 0) << "/proc/stat could not be read";
  double busy = 0;
  {
    BusyProgram program;
    sleep_s(0.2);
    load.others_since_last();
    sleep_s(0.6);
    busy = load.others_since_last();
  }
  sleep_s(0.2);
  load.others_since_last();
  sleep_s(0.5);
  const double after = load.others_since_last();
  RecordProperty("quiet", std::to_string(quiet));
  RecordProperty("busy", std::to_string(busy));
  EXPECT_GT(busy - quiet, 0.6) << "quiet " << quiet << ", busy " << busy;
  EXPECT_LE(busy, load.cores() + 1e-9);
  EXPECT_LT(after, busy - 0.6) << "the busy program's load stayed after it ended: " << after;
}

TEST(ThreadLoad, AutomaticThreadsLeaveABusyCoreAndTakeItBack) {
  apply_compute_options({"cpu", 0});
  const int cores = system_info().usable_cores;
  if (cores < 2) GTEST_SKIP() << "one core: nothing to leave to another program";
  ASSERT_EQ(adapt_until(cores, 2.0), cores) << "the machine is not quiet enough for this test";
  {
    BusyProgram program;
    EXPECT_EQ(adapt_until(cores - 1, 3.0), cores - 1);
  }
  EXPECT_EQ(adapt_until(cores, 3.0), cores);
}

TEST(ThreadLoad, AFixedThreadCountStaysFixedBesideABusyProgram) {
  apply_compute_options({"cpu", 2});
  BusyProgram program;
  sleep_s(0.5);
  adapt_threads();
  EXPECT_EQ(at::get_num_threads(), 2);
  EXPECT_FALSE(system_info().automatic_threads);
}

// bench load: the six settings in their order, and automatic threads close to one thread beside
// the busy program (the target is 1.3x; a shared test machine gets a looser bound).
TEST(ThreadLoad, TheLoadBenchmarkTimesEverySettingQuietAndBusy) {
  SinganBenchOptions options;
  options.preset = "tiny";
  options.load = true;
  options.ceiling = false;
  options.steps = 3;
  const MultiScaleBenchResult r = bench_singan(options);
  ASSERT_EQ(r.scales.size(), 1u);  // the finest scale only
  const LoadBenchResult& load = r.load;
  ASSERT_EQ(load.rows.size(), 6u);
  const int cores = load.cores;
  const std::vector<std::pair<std::string, bool>> expected = {
      {"1", false}, {std::to_string(cores), false}, {"automatic", false}, {"automatic", true},
      {"1", true},  {std::to_string(cores), true}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(load.rows[i].threads, expected[i].first) << i;
    EXPECT_EQ(load.rows[i].busy, expected[i].second) << i;
    EXPECT_GE(load.rows[i].steps, 3) << i;
    EXPECT_GT(load.rows[i].step_ms, 0) << i;
  }
  EXPECT_EQ(load.rows[0].threads_used, 1);
  if (cores >= 2) {
    EXPECT_EQ(load.rows[3].threads_used, cores - 1);
  }
  EXPECT_LT(load.busy_automatic_vs_one, 2.0);
  EXPECT_GT(load.quiet_speedup, 0);
}
