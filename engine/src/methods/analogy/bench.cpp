// bench_analogy: real training iterations timed at every scale of a preset, with their conv FLOPs.
#include <torch/torch.h>

#include "atelier/analogy.h"
#include "atelier/error.h"
#include "core/bench_util.h"
#include "core/device.h"
#include "core/guard.h"
#include "core/tensor_image.h"
#include "methods/analogy/trainer.h"
#include "nn/generator_stack.h"

namespace atelier {

MultiScaleBenchResult bench_analogy(const AnalogyBenchOptions& options) {
  return guarded("benchmarking analogy", [&] {
    if (options.steps < 1) throw usage_error("analogy benchmark: steps must be at least 1");
    const double start = monotonic_s();
    const Preset preset = load_preset("analogy", options.preset);
    const AnalogyParams params = AnalogyParams::from_preset(preset);
    Image a = options.a, b = options.b;
    if (a.empty() != b.empty()) throw usage_error("analogy benchmark: give both images or neither");
    if (a.empty()) {
      const int w = options.width > 0 ? options.width : params.max_size;
      const int h = options.height > 0 ? options.height : w;
      // Step time depends on the sizes only; seeded random images stand in for photos.
      auto generator = nn::seeded_generator(1);
      a = tensor_to_image(torch::rand({1, 3, h, w}, generator, torch::kFloat) * 2 - 1);
      b = tensor_to_image(torch::rand({1, 3, h, w}, generator, torch::kFloat) * 2 - 1);
    }
    TrainOptions train;
    train.compute = options.compute;
    train.seed = 1;
    const Callbacks none;
    analogy::Trainer trainer(preset, train, none);
    trainer.prepare(a, b);

    MultiScaleBenchResult r;
    r.method = "analogy";
    r.preset = preset.size.empty() ? options.preset : preset.size;
    r.device = resolve_device(options.compute).str();
    r.threads = at::get_num_threads();
    double work = 0, time_s = 0;
    for (int k = 0; k < trainer.scale_count(); ++k) {
      if (k > 0) trainer.next_scale();
      trainer.iterate();  // warm-up
      ScaleStepBench s;
      s.scale = k;
      s.width = trainer.sizes()[k].width;
      s.height = trainer.sizes()[k].height;
      s.iterations = params.iterations;
      s.step_ms = median_ms(options.steps, [&] { trainer.iterate(); });
      s.gflop = trainer.iteration_flops() / 1e9;
      s.gflops = s.gflop / (s.step_ms / 1000);
      r.train_estimate_s += s.step_ms / 1000 * s.iterations;
      work += s.gflop * s.iterations;
      time_s += s.step_ms / 1000 * s.iterations;
      r.scales.push_back(s);
    }
    r.achieved_gflops = time_s > 0 ? work / time_s : 0;
    r.peak_rss_mb = peak_rss_mb();
    if (options.ceiling) {
      CoreBenchOptions core;
      core.compute = options.compute;
      const CoreBenchResult c = bench_core(core);
      r.ceiling_train_gflops = c.conv_train_gflops;
      r.ceiling_forward_gflops = c.conv_forward_gflops;
    }
    r.bench_s = monotonic_s() - start;
    return r;
  });
}

}  // namespace atelier
