// atelier/bench.h — this machine's compute ceilings, to quote method benchmarks against.
#pragma once

#include <string>

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

}  // namespace atelier
