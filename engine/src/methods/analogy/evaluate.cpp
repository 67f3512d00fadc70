// evaluate_analogy: the translations' patch statistics (against the target image) and structure
// (against the source image), with their references, and the samples' diversity.
#include "atelier/analogy.h"
#include "atelier/error.h"
#include "core/bench_util.h"
#include "core/guard.h"
#include "metrics/mirror_reference.h"

namespace atelier {

AnalogyEvalResult evaluate_analogy(const std::string& model_path, const AnalogyEvalOptions& options,
                                   const ComputeOptions& compute) {
  return guarded("evaluating analogy model " + model_path, [&] {
    if (options.samples < 2) throw usage_error("analogy eval: at least 2 samples are needed");
    const double start = monotonic_s();
    const AnalogyModel model = AnalogyModel::load(model_path, compute);
    const Image a = model.training_image(Domain::A);
    const Image b = model.training_image(Domain::B);
    AnalogyEvalResult r;
    r.width = a.width;
    r.height = a.height;
    r.default_inject_ab = model.default_inject(Domain::A);
    r.default_inject_ba = model.default_inject(Domain::B);
    const bool own = options.inject == kModelInjection;
    r.inject_ab = own ? r.default_inject_ab : options.inject;
    r.inject_ba = own ? r.default_inject_ba : options.inject;
    r.levels_ab = score_injection_levels(model, Domain::A, options.swd, options.seed);
    r.levels_ba = score_injection_levels(model, Domain::B, options.swd, options.seed);
    AnalogyTranslateOptions translate;
    translate.seed = options.seed;
    translate.inject = r.inject_ab;
    const Image ab = model.translate(Domain::A, translate);
    translate.inject = r.inject_ba;
    const Image ba = model.translate(Domain::B, translate);
    r.swd_ab = patch_swd(ab, b, options.swd).mean;
    r.swd_b_mirrored = mirrored_swd(b, options.swd);
    r.structure_ab = structure_score(ab, a);
    r.structure_b_vs_a = structure_score(b, a);
    r.swd_ba = patch_swd(ba, a, options.swd).mean;
    r.swd_a_mirrored = mirrored_swd(a, options.swd);
    r.structure_ba = structure_score(ba, b);
    r.structure_a_vs_b = structure_score(a, b);

    r.samples = options.samples;
    for (const Domain d : {Domain::A, Domain::B}) {
      const Image& real = d == Domain::A ? a : b;
      std::vector<Image> samples;
      double swd = 0;
      for (int i = 0; i < options.samples; ++i) {
        samples.push_back(model.sample(d, options.seed + static_cast<std::uint64_t>(i)));
        swd += patch_swd(samples.back(), real, options.swd).mean / options.samples;
      }
      (d == Domain::A ? r.swd_samples_a : r.swd_samples_b) = swd;
      (d == Domain::A ? r.diversity_a : r.diversity_b) = diversity(samples, real);
    }
    r.seconds = monotonic_s() - start;
    return r;
  });
}

}  // namespace atelier
