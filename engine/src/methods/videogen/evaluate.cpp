// evaluate_videogen: patch statistics, diversity and motion of a model's samples against its clip.
#include "atelier/error.h"
#include "atelier/videogen.h"
#include "core/bench_util.h"
#include "core/guard.h"
#include "metrics/mirror_reference.h"

namespace atelier {
namespace {

// `reference` at the model's clip size and length (its first frames).
Video fit_reference(const Video& reference, const Video& clip) {
  const int n = static_cast<int>(clip.frames.size());
  if (static_cast<int>(reference.frames.size()) < n) {
    throw bad_input("videogen eval: the reference video has " +
                    std::to_string(reference.frames.size()) + " frames; the model's clip has " +
                    std::to_string(n));
  }
  Video out;
  out.fps = reference.fps;
  for (int i = 0; i < n; ++i) {
    out.frames.push_back(resize_image(reference.frames[i], clip.width(), clip.height()));
  }
  return out;
}

// Mean over `video`'s frames of the 2-D patch SWD against the clip's frame of the same index.
double frame_swd(const Video& video, const Video& clip, const SwdOptions& options) {
  double sum = 0;
  const std::size_t n = clip.frames.size();
  for (std::size_t i = 0; i < video.frames.size(); ++i)
    sum += patch_swd(video.frames[i], clip.frames[i % n], options).mean;
  return sum / static_cast<double>(video.frames.size());
}

double video_psnr(const Video& a, const Video& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.frames.size(); ++i) sum += psnr(a.frames[i], b.frames[i]);
  return sum / static_cast<double>(a.frames.size());
}

}  // namespace

VideogenEvalResult evaluate_videogen(const std::string& model_path,
                                     const VideogenEvalOptions& options,
                                     const ComputeOptions& compute, const Video& reference) {
  return guarded("evaluating videogen model " + model_path, [&] {
    if (options.samples < 2) throw usage_error("videogen eval: at least 2 samples are needed");
    const double start = monotonic_s();
    const VideogenModel model = VideogenModel::load(model_path, compute);
    const Video stored = model.training_clip();
    const Video real = reference.empty() ? stored : fit_reference(reference, stored);
    VideogenEvalResult r;
    r.width = real.width();
    r.height = real.height();
    r.frames = static_cast<int>(real.frames.size());
    r.samples = options.samples;
    r.temperature = model.resolved_temperature(options.temperature);
    r.layout = model.resolved_layout(options.layout);
    std::vector<Video> samples;
    for (int i = 0; i < options.samples; ++i) {
      VideogenSampleOptions o;
      o.seed = options.seed + static_cast<std::uint64_t>(i);
      o.start_level = options.start_level;
      o.temperature = r.temperature;
      o.layout = r.layout;
      samples.push_back(model.sample(o));
      r.swd_samples += video_patch_swd(samples.back(), real, options.swd).mean / options.samples;
      r.frame_swd_samples += frame_swd(samples.back(), real, options.swd.spatial) / options.samples;
      r.motion_samples += temporal_consistency(samples.back()) / options.samples;
      const ColourStats c = colour_stats(samples.back());
      r.colour_samples.brightness += c.brightness / options.samples;
      r.colour_samples.contrast += c.contrast / options.samples;
      r.colour_samples.saturation += c.saturation / options.samples;
    }
    r.colour_real = colour_stats(real);
    r.swd_flipped = video_patch_swd(mirror_left_right(real), real, options.swd).mean;
    r.swd_ratio = r.swd_flipped > 0 ? r.swd_samples / r.swd_flipped : 0;
    r.frame_swd_mirrored = frame_swd(mirror_left_right(real), real, options.swd.spatial);
    r.frame_swd_ratio = r.frame_swd_mirrored > 0 ? r.frame_swd_samples / r.frame_swd_mirrored : 0;
    r.diversity = diversity(samples, real);
    r.motion_real = temporal_consistency(real);
    r.motion_ratio = r.motion_real > 0 ? r.motion_samples / r.motion_real : 0;
    r.rec_psnr = video_psnr(model.reconstruct(), real);
    r.seconds = monotonic_s() - start;
    return r;
  });
}

}  // namespace atelier
