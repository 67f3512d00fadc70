// bench_analogy: real training iterations timed at every scale of a preset, with their conv FLOPs.
#include <torch/torch.h>

#include "atelier/analogy.h"
#include "atelier/error.h"
#include "core/bench_util.h"
#include "core/guard.h"
#include "core/multiscale_bench.h"
#include "core/tensor_image.h"
#include "methods/analogy/trainer.h"
#include "nn/generator_stack.h"

namespace atelier {

MultiScaleBenchResult bench_analogy(const AnalogyBenchOptions& options) {
  return guarded("benchmarking analogy", [&] {
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

    MultiScaleBenchSetup setup;
    setup.method = "analogy";
    setup.options = options;
    if (!preset.size.empty()) setup.options.preset = preset.size;
    setup.start_s = start;
    MultiScaleTrainerHooks hooks;
    hooks.scales = trainer.scale_count();
    hooks.next_scale = [&] { trainer.next_scale(); };
    hooks.iterate = [&] { trainer.iterate(); };
    hooks.describe = [&] {
      ScaleStepBench s;
      const ScaleSize size = trainer.sizes()[trainer.scale()];
      s.width = size.width;
      s.height = size.height;
      s.iterations = params.iterations;
      s.gflop = trainer.iteration_flops() / 1e9;
      return s;
    };
    return run_multiscale_bench(setup, hooks);
  });
}

}  // namespace atelier
