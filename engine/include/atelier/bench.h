// atelier/bench.h — this machine's compute ceilings, to quote method benchmarks against.
#pragma once

#include <string>
#include <vector>

#include "atelier/compute.h"

namespace atelier {

struct CoreBenchOptions {
  ComputeOptions compute;
  int matmul_size = 2048;   // n of the n x n x n float32 product
  int conv_channels = 64;   // 3x3 conv, channels -> channels
  int conv_size = 128;      // on 1 x channels x size x size
  int repeats = 7;          // timed runs; the median is reported
};

struct CoreBenchResult {
  std::string device;
  int threads = 0;
  double matmul_gflops = 0;       // median
  double conv_forward_gflops = 0;
  double conv_train_gflops = 0;   // forward + backward (input and weight gradients)
  double conv_forward_ms = 0;
  double conv_train_ms = 0;
};

CoreBenchResult bench_core(const CoreBenchOptions& options = {});

// ---- Multi-scale methods (singan, analogy): training step time per scale ----

struct ScaleStepBench {
  int scale = 0;  // 0 = coarsest
  int width = 0;
  int height = 0;
  int frames = 0;        // video methods: frames at this level; 0 for images
  int iterations = 0;    // the preset's iterations at this scale
  double step_ms = 0;    // median time of one training iteration
  double gflop = 0;      // convolution work of one iteration (forward and backward passes)
  double gflops = 0;     // gflop / step time
};

struct MultiScaleBenchResult {
  std::string method;
  std::string preset;
  std::string device;
  int threads = 0;
  std::vector<ScaleStepBench> scales;
  double train_estimate_s = 0;   // sum over scales of step_ms x iterations: a whole training
  double achieved_gflops = 0;    // all counted work / all timed steps
  double ceiling_train_gflops = 0;    // bench_core's conv forward+backward (0: not measured)
  double ceiling_forward_gflops = 0;  // bench_core's conv forward (0: not measured)
  double peak_rss_mb = 0;
  double bench_s = 0;  // wall time of the benchmark itself
};

}  // namespace atelier
