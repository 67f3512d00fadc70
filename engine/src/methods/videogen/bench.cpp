// bench_videogen: real training iterations timed at every level of a preset, with their FLOPs.
#include <torch/torch.h>

#include "atelier/error.h"
#include "atelier/videogen.h"
#include "core/bench_util.h"
#include "core/guard.h"
#include "core/multiscale_bench.h"
#include "core/tensor_image.h"
#include "methods/videogen/trainer.h"
#include "nn/generator_stack.h"

namespace atelier {

MultiScaleBenchResult bench_videogen(const VideogenBenchOptions& options) {
  return guarded("benchmarking videogen", [&] {
    const double start = monotonic_s();
    const Preset preset = load_preset("videogen", options.preset);
    const VideogenParams params = VideogenParams::from_preset(preset);
    Video clip = options.clip;
    if (clip.empty()) {
      const int w = options.width > 0 ? options.width : params.max_size;
      const int h = options.height > 0 ? options.height : w * 3 / 4;
      // Step time depends on the sizes only; a seeded random clip stands in for a video.
      clip = tensor_to_video(
          torch::rand({1, 3, params.frames, h, w}, nn::seeded_generator(1), torch::kFloat) * 2 - 1,
          25);
    }
    TrainOptions train;
    train.compute = options.compute;
    train.seed = 1;
    const Callbacks none;
    videogen::Trainer trainer(preset, train, none);
    trainer.prepare(clip);

    MultiScaleBenchSetup setup;
    setup.method = "videogen";
    setup.options = options;
    if (!preset.size.empty()) setup.options.preset = preset.size;
    setup.start_s = start;
    MultiScaleTrainerHooks hooks;
    hooks.scales = trainer.level_count();
    hooks.next_scale = [&] { trainer.next_level(); };
    hooks.iterate = [&] { trainer.iterate(); };
    hooks.describe = [&] {
      ScaleStepBench s;
      const videogen::LevelSize size = trainer.sizes()[trainer.level()];
      s.width = size.width;
      s.height = size.height;
      s.frames = size.frames;
      s.iterations = trainer.iterations(trainer.level());
      s.gflop = trainer.iteration_flops() / 1e9;
      return s;
    };
    return run_multiscale_bench(setup, hooks);
  });
}

}  // namespace atelier
