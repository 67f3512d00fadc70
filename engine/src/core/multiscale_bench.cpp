#include "core/multiscale_bench.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "atelier/error.h"
#include "core/bench_util.h"
#include "core/busy_program.h"
#include "core/device.h"

namespace atelier {
namespace {

// Per thread setting: time for first-call costs (oneDNN primitives for a new thread count) and for
// automatic threads to notice a load, then the timed steps.
constexpr double kLoadWarmUp_s = 1.5;
constexpr double kLoadMeasure_s = 3.0;

// Steps as a training runs them (automatic threads follow the load between steps): warm-up, then
// the median of at least `min_steps` steps and kLoadMeasure_s seconds.
LoadBenchRow time_under(const std::string& threads, bool busy, int min_steps,
                        const std::function<void()>& iterate) {
  const auto step = [&] {
    adapt_threads();
    iterate();
  };
  const double warm_up = monotonic_s();
  do step();
  while (monotonic_s() - warm_up < kLoadWarmUp_s);
  std::vector<double> ms;
  const double start = monotonic_s();
  while (static_cast<int>(ms.size()) < min_steps || monotonic_s() - start < kLoadMeasure_s)
    ms.push_back(median_ms(1, step));
  std::nth_element(ms.begin(), ms.begin() + ms.size() / 2, ms.end());
  LoadBenchRow row;
  row.threads = threads;
  row.busy = busy;
  row.threads_used = at::get_num_threads();
  row.steps = static_cast<int>(ms.size());
  row.step_ms = ms[ms.size() / 2];
  return row;
}

LoadBenchResult run_load(const MultiScaleBenchSetup& setup, const MultiScaleTrainerHooks& trainer) {
  LoadBenchResult r;
  r.cores = system_info().usable_cores;
  const auto run = [&](int threads, bool busy) {
    ComputeOptions compute = setup.options.compute;
    compute.threads = threads;
    apply_compute_options(compute);
    r.rows.push_back(time_under(threads == 0 ? "automatic" : std::to_string(threads), busy,
                                setup.options.steps, trainer.iterate));
    return r.rows.back().step_ms;
  };
  const double quiet_one = run(1, false);
  run(r.cores, false);
  const double quiet_auto = run(0, false);
  double busy_one = 0, busy_all = 0, busy_auto = 0;
  {
    // The load arrives while automatic threads are already running, as it does on a desktop.
    BusyProgram busy;
    r.rows.push_back(time_under("automatic", true, setup.options.steps, trainer.iterate));
    busy_auto = r.rows.back().step_ms;
    busy_one = run(1, true);
    busy_all = run(r.cores, true);
  }
  apply_compute_options(setup.options.compute);
  r.busy_automatic_vs_one = busy_auto / busy_one;
  r.busy_all_vs_one = busy_all / busy_one;
  r.quiet_speedup = quiet_one / quiet_auto;
  return r;
}

}  // namespace

MultiScaleBenchResult run_multiscale_bench(const MultiScaleBenchSetup& setup,
                                           const MultiScaleTrainerHooks& trainer) {
  const MultiScaleBenchOptions& o = setup.options;
  if (o.steps < 1) throw usage_error(setup.method + " benchmark: steps must be at least 1");
  MultiScaleBenchResult r;
  r.method = setup.method;
  r.preset = o.preset;
  r.device = resolve_device(o.compute).str();
  r.threads = at::get_num_threads();
  double work = 0, time_s = 0;
  const int first = o.load ? trainer.scales - 1 : 0;
  for (int k = 1; k <= first; ++k) trainer.next_scale();
  for (int k = first; k < trainer.scales; ++k) {
    if (k > first) trainer.next_scale();
    trainer.iterate();  // warm-up: first-call allocations and oneDNN primitive creation
    ScaleStepBench s = trainer.describe();
    s.scale = k;
    s.step_ms = median_ms(o.steps, trainer.iterate);
    s.gflops = s.gflop / (s.step_ms / 1000);
    r.train_estimate_s += s.step_ms / 1000 * s.iterations;
    work += s.gflop * s.iterations;
    time_s += s.step_ms / 1000 * s.iterations;
    r.scales.push_back(s);
  }
  r.achieved_gflops = time_s > 0 ? work / time_s : 0;
  if (o.load) r.load = run_load(setup, trainer);
  r.peak_rss_mb = peak_rss_mb();
  if (o.ceiling) {
    CoreBenchOptions core;
    core.compute = o.compute;
    const CoreBenchResult c = bench_core(core);
    r.ceiling_train_gflops = c.conv_train_gflops;
    r.ceiling_forward_gflops = c.conv_forward_gflops;
  }
  r.bench_s = monotonic_s() - setup.start_s;
  return r;
}

}  // namespace atelier
