// bench_oneshot: training step times of both phases at the preset's size, what the preset's
// step counts take at that speed, and the latency of one A->B translation.
#include <torch/torch.h>

#include "atelier/error.h"
#include "core/archive_tensors.h"
#include "core/bench_util.h"
#include "core/device.h"
#include "core/guard.h"
#include "core/tensor_image.h"
#include "methods/oneshot/trainer.h"

namespace atelier {
namespace {

// Random images of the preset's size, as B's set and as the A image.
std::vector<Image> random_images(int n, int size) {
  std::vector<Image> images;
  for (int i = 0; i < n; ++i) {
    images.push_back(tensor_to_image(torch::rand({3, size, size}) * 2 - 1));
  }
  return images;
}

// A finished phase I archive of the trainer's current networks (in memory).
RawModelArchive base_archive(oneshot::Trainer& trainer) {
  RawModelArchive archive;
  archive.info.method = oneshot::kMethod;
  archive.info.path = "(benchmark)";
  archive.info.finished = true;
  archive.info.params = trainer.params().to_json();
  archive.info.state = oneshot::state_json(oneshot::TrainingState{});
  put_module(archive, "nets", *trainer.nets());
  return archive;
}

}  // namespace

OneshotBenchResult bench_oneshot(const OneshotBenchOptions& options) {
  return guarded("benchmarking oneshot", [&] {
    if (options.steps < 1 || options.repeats < 1) {
      throw usage_error("benchmark: steps and repeats must be at least 1");
    }
    const Preset preset = load_preset("oneshot", options.preset);
    const OneshotParams params = OneshotParams::from_preset(preset);
    OneshotBenchResult r;
    const torch::Device device = prepare_compute(options.compute, 1);
    r.device = device.str();
    r.threads = at::get_num_threads();
    r.network = params.network;
    r.image_size = params.image_size;
    r.batch = params.batch;
    r.a_batch = params.a_batch;
    const std::vector<Image> b = random_images(2 * params.batch, params.image_size);
    const Callbacks none;

    oneshot::Trainer base(params, preset.size, TrainOptions{}, none);
    base.start_base(device);
    base.set_b_images(b);
    base.draw_and_step();  // warm-up
    r.base_step_ms = median_ms(options.steps, [&] { base.draw_and_step(); });

    oneshot::Trainer translation(params, preset.size, TrainOptions{}, none);
    translation.start_translation(base_archive(base), random_images(1, params.image_size)[0],
                                  device);
    translation.set_b_images(b);
    translation.draw_and_step();
    r.translation_step_ms = median_ms(options.steps, [&] { translation.draw_and_step(); });

    torch::NoGradGuard no_grad;
    auto& nets = translation.nets();
    nets->eval();
    const torch::Tensor x = translation.draw_a_batch().narrow(0, 0, 1);
    nets->translate(x, OneshotDomain::A);
    r.translate_ms =
        median_ms(options.repeats, [&] { nets->translate(x, OneshotDomain::A).cpu(); });
    r.base_minutes = r.base_step_ms * params.base_steps / 60000.0;
    r.translation_minutes = r.translation_step_ms * params.translation_steps / 60000.0;
    r.peak_rss_mb = peak_rss_mb();
    return r;
  });
}

}  // namespace atelier
