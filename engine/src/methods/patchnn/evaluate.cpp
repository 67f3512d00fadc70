// eval patchnn: the project's quality measures on instant results. Samples: patch SWD against the
// source (quoted against the mirrored source's), diversity and layout; analogies: structure scores with
// their baselines; videos: space-time patch SWD, diversity and motion against the clip's.
#include "atelier/error.h"
#include "atelier/image.h"
#include "atelier/metrics.h"
#include "atelier/patchnn.h"
#include "core/bench_util.h"
#include "core/guard.h"
#include "methods/patchnn/volume_run.h"
#include "metrics/mirror_reference.h"

namespace atelier {
namespace {

void require_samples(const PatchnnEvalOptions& options) {
  if (options.samples < 2) throw usage_error("patchnn eval: at least 2 samples are needed");
}

}  // namespace

PatchnnSampleEval evaluate_patchnn_samples(const Image& source, const std::string& name,
                                           const PatchnnParams& params,
                                           const PatchnnEvalOptions& options,
                                           const ComputeOptions& compute,
                                           const Callbacks& callbacks) {
  require_samples(options);
  std::vector<std::string> notes;
  const Image real = patchnn::picture_within_limits(source, params, name, notes);
  return guarded("evaluating patchnn samples of " + name, [&] {
    PatchnnSampleEval r;
    r.name = name;
    r.width = real.width;
    r.height = real.height;
    r.samples = options.samples;
    PatchnnSampleOptions o = options.sample;
    o.seed = options.seed;
    o.source_name = name;
    const PatchnnSamples samples =
        patchnn_samples(real, options.samples, params, o, compute, callbacks);
    for (const Image& sample : samples.images)
      r.swd_samples += patch_swd(sample, real, options.swd).mean / options.samples;
    r.seconds_per_sample = samples.report.seconds / options.samples;
    r.swd_flipped = mirrored_swd(real, options.swd);
    r.swd_ratio = r.swd_flipped > 0 ? r.swd_samples / r.swd_flipped : 0;
    r.diversity = diversity(samples.images, real);
    const Image real_layout = fit_within(real, 32);
    for (const Image& sample : samples.images)
      r.layout_psnr += psnr(fit_within(sample, 32), real_layout) / options.samples;
    return r;
  });
}

PatchnnAnalogyEval evaluate_patchnn_analogy(const Image& a, const Image& b,
                                            const std::string& a_name, const std::string& b_name,
                                            const PatchnnParams& params,
                                            const PatchnnEvalOptions& options,
                                            const ComputeOptions& compute,
                                            const Callbacks& callbacks) {
  std::vector<std::string> notes;
  const Image ra = patchnn::picture_within_limits(a, params, a_name, notes);
  const Image rb = patchnn::picture_within_limits(b, params, b_name, notes);
  return guarded("evaluating patchnn analogies of " + a_name + " and " + b_name, [&] {
    PatchnnAnalogyEval r;
    r.a_name = a_name;
    r.b_name = b_name;
    const PatchnnAnalogyPair pair =
        patchnn_analogies(ra, rb, params, a_name, b_name, compute, callbacks);
    r.seconds = pair.report.seconds;
    r.structure_ab = structure_score(pair.a2b, ra);
    r.structure_b_vs_a = structure_score(rb, ra);
    r.structure_ba = structure_score(pair.b2a, rb);
    r.structure_a_vs_b = structure_score(ra, rb);
    r.swd_ab = patch_swd(pair.a2b, rb, options.swd).mean;
    r.swd_b_mirrored = mirrored_swd(rb, options.swd);
    r.swd_ba = patch_swd(pair.b2a, ra, options.swd).mean;
    r.swd_a_mirrored = mirrored_swd(ra, options.swd);
    return r;
  });
}

PatchnnVideoEval evaluate_patchnn_video(const Video& clip, const std::string& name,
                                        const PatchnnParams& params,
                                        const PatchnnEvalOptions& options,
                                        const ComputeOptions& compute, const Callbacks& callbacks) {
  require_samples(options);
  std::vector<std::string> notes;
  const Video real = patchnn::clip_within_limits(clip, params, name, notes);
  return guarded("evaluating patchnn video samples of " + name, [&] {
    PatchnnVideoEval r;
    r.name = name;
    r.width = real.width();
    r.height = real.height();
    r.frames = static_cast<int>(real.frames.size());
    r.samples = options.samples;
    const VideoSwdOptions swd{options.swd};
    std::vector<Video> samples;
    double seconds = 0;
    for (int i = 0; i < options.samples; ++i) {
      PatchnnVideoOptions o = options.video;
      o.seed = options.seed + static_cast<std::uint64_t>(i);
      o.clip_name = name;
      const PatchnnVideoResult sample = patchnn_video_sample(real, params, o, compute, callbacks);
      seconds += sample.report.seconds;
      samples.push_back(sample.video);
      r.swd_samples += video_patch_swd(samples.back(), real, swd).mean / options.samples;
      r.motion_samples += temporal_consistency(samples.back()) / options.samples;
    }
    r.seconds_per_sample = seconds / options.samples;
    r.swd_flipped = video_patch_swd(mirror_left_right(real), real, swd).mean;
    r.swd_ratio = r.swd_flipped > 0 ? r.swd_samples / r.swd_flipped : 0;
    r.diversity = diversity(samples, real);
    r.motion_real = temporal_consistency(real);
    r.motion_ratio = r.motion_real > 0 ? r.motion_samples / r.motion_real : 0;
    return r;
  });
}

}  // namespace atelier
