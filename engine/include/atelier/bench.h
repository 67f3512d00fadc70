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

// ---- Threads beside other programs: bench load (bench METHOD --load) ----

// The finest scale's training step under one thread setting.
struct LoadBenchRow {
  std::string threads;   // "1", every core ("2" on a 2-core machine) or "automatic"
  bool busy = false;     // beside another program that keeps one core busy
  int threads_used = 0;  // at the end of the timed steps (automatic: what it chose)
  int steps = 0;         // timed steps
  double step_ms = 0;    // median
};

struct LoadBenchResult {
  int cores = 0;                     // the cores this process may use
  std::vector<LoadBenchRow> rows;    // quiet: 1, all, automatic; busy: automatic, 1, all
  double busy_automatic_vs_one = 0;  // busy automatic step / busy 1-thread step (<= 1.3 wanted)
  double busy_all_vs_one = 0;        // busy all-core step / busy 1-thread step (the collapse)
  double quiet_speedup = 0;          // quiet 1-thread step / quiet automatic step (>= 1.4 wanted)
};

// ---- Multi-scale methods (singan, analogy, videogen): training step time per scale ----

// What every multi-scale benchmark takes; each method adds its inputs (singan.h, analogy.h, ...).
struct MultiScaleBenchOptions {
  ComputeOptions compute;
  std::string preset = "preview";  // name or path of the preset whose training is timed
  int steps = 5;                   // timed iterations per scale, after one warm-up iteration
  bool ceiling = true;             // also measure bench_core's convolution ceiling to quote against
  // Instead of every scale: the finest scale's iteration at 1 thread, every core and automatic
  // threads, quiet and beside a busy program that the benchmark starts and stops (bench load).
  bool load = false;
};

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
  // With `load` asked: the finest scale under each thread setting (`scales` then holds only it).
  LoadBenchResult load;
};

}  // namespace atelier
