// The benchmark loop of the multi-scale methods (singan, analogy, videogen): at every scale, one
// warm-up iteration of the real trainer, then the median of `steps` timed ones, with the
// convolution work of an iteration; bench_core's ceiling to quote the achieved rate against. Or,
// with `load`, the finest scale's iteration under each thread setting, quiet and under load.
#pragma once

#include <functional>
#include <string>

#include "atelier/bench.h"
#include "atelier/compute.h"

namespace atelier {

struct MultiScaleTrainerHooks {
  int scales = 0;
  std::function<void()> next_scale;  // enter the next scale
  std::function<void()> iterate;     // one training iteration of the current scale
  // The current scale's sizes, iterations and gflop (scale, step_ms, gflops are filled here).
  std::function<ScaleStepBench()> describe;
};

struct MultiScaleBenchSetup {
  std::string method;
  MultiScaleBenchOptions options;  // options.preset: the name the result reports
  double start_s = 0;  // monotonic_s() when the benchmark began (bench_s counts from it)
};

MultiScaleBenchResult run_multiscale_bench(const MultiScaleBenchSetup& setup,
                                           const MultiScaleTrainerHooks& trainer);

}  // namespace atelier
