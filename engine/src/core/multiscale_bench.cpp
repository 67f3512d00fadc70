#include "core/multiscale_bench.h"

#include <ATen/Parallel.h>

#include "core/bench_util.h"
#include "core/device.h"

namespace atelier {

MultiScaleBenchResult run_multiscale_bench(const MultiScaleBenchSetup& setup,
                                           const MultiScaleTrainerHooks& trainer) {
  MultiScaleBenchResult r;
  r.method = setup.method;
  r.preset = setup.preset;
  r.device = resolve_device(setup.compute).str();
  r.threads = at::get_num_threads();
  double work = 0, time_s = 0;
  for (int k = 0; k < trainer.scales; ++k) {
    if (k > 0) trainer.next_scale();
    trainer.iterate();  // warm-up: first-call allocations and oneDNN primitive creation
    ScaleStepBench s = trainer.describe();
    s.scale = k;
    s.step_ms = median_ms(setup.steps, trainer.iterate);
    s.gflops = s.gflop / (s.step_ms / 1000);
    r.train_estimate_s += s.step_ms / 1000 * s.iterations;
    work += s.gflop * s.iterations;
    time_s += s.step_ms / 1000 * s.iterations;
    r.scales.push_back(s);
  }
  r.achieved_gflops = time_s > 0 ? work / time_s : 0;
  r.peak_rss_mb = peak_rss_mb();
  if (setup.ceiling) {
    CoreBenchOptions core;
    core.compute = setup.compute;
    const CoreBenchResult c = bench_core(core);
    r.ceiling_train_gflops = c.conv_train_gflops;
    r.ceiling_forward_gflops = c.conv_forward_gflops;
  }
  r.bench_s = monotonic_s() - setup.start_s;
  return r;
}

}  // namespace atelier
