// evaluate_singan: patch statistics and diversity of a model's samples against its training image.
#include "atelier/error.h"
#include "atelier/singan.h"
#include "core/bench_util.h"
#include "core/guard.h"
#include "metrics/mirror_reference.h"

namespace atelier {

SinganEvalResult evaluate_singan(const std::string& model_path, const SinganEvalOptions& options,
                                 const ComputeOptions& compute) {
  return guarded("evaluating singan model " + model_path, [&] {
    if (options.samples < 2) throw usage_error("singan eval: at least 2 samples are needed");
    const double start = monotonic_s();
    const SinganModel model = SinganModel::load(model_path, compute);
    const Image real = model.training_image();
    SinganEvalResult r;
    r.width = real.width;
    r.height = real.height;
    r.samples = options.samples;
    r.start_scale = options.start_scale;
    std::vector<Image> samples;
    for (int i = 0; i < options.samples; ++i) {
      SinganSampleOptions o;
      o.seed = options.seed + static_cast<std::uint64_t>(i);
      o.start_scale = options.start_scale;
      samples.push_back(model.sample(o));
      r.swd_samples += patch_swd(samples.back(), real, options.swd).mean / options.samples;
    }
    r.swd_flipped = mirrored_swd(real, options.swd);
    r.swd_ratio = r.swd_flipped > 0 ? r.swd_samples / r.swd_flipped : 0;
    r.diversity = diversity(samples, real);
    r.rec_psnr = psnr(model.reconstruct(), real);
    r.seconds = monotonic_s() - start;
    return r;
  });
}

}  // namespace atelier
