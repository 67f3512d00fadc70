// bench_singan: real training iterations timed at every scale of a preset, with their conv FLOPs.
#include <torch/torch.h>

#include "atelier/error.h"
#include "atelier/singan.h"
#include "core/bench_util.h"
#include "core/guard.h"
#include "core/multiscale_bench.h"
#include "core/tensor_image.h"
#include "methods/singan/trainer.h"
#include "nn/generator_stack.h"

namespace atelier {

MultiScaleBenchResult bench_singan(const SinganBenchOptions& options) {
  return guarded("benchmarking singan", [&] {
    const double start = monotonic_s();
    const Preset preset = load_preset("singan", options.preset);
    const SinganParams params = SinganParams::from_preset(preset);
    Image image = options.image;
    if (image.empty()) {
      const int w = options.width > 0 ? options.width : params.max_size;
      const int h = options.height > 0 ? options.height : w;
      // Step time depends on the sizes only; a seeded random image stands in for a photo.
      image = tensor_to_image(
          torch::rand({1, 3, h, w}, nn::seeded_generator(1), torch::kFloat) * 2 - 1);
    }
    TrainOptions train;
    train.compute = options.compute;
    train.seed = 1;
    const Callbacks none;
    singan::Trainer trainer(preset, train, none);
    trainer.prepare(image);

    MultiScaleBenchSetup setup;
    setup.method = "singan";
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
