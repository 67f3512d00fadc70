#include "methods/patchnn/volume_run.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

#include "atelier/error.h"
#include "core/bench_util.h"
#include "core/log.h"
#include "core/tensor_image.h"
#include "methods/patchnn/synthesis.h"

namespace atelier::patchnn {
namespace {

constexpr int kMaxOutputSide = 8192;

std::string dimensions(int width, int height) {
  return std::to_string(width) + "x" + std::to_string(height);
}

// Noise is drawn with its own stream, so it does not shift PatchMatch's random candidates.
constexpr std::uint64_t kNoiseStream = 0x9e3779b97f4a7c15ULL;

RunPlan plan_of(const VolumeRun& run, const std::vector<VolumeSize>& out_sizes) {
  RunPlan plan;
  plan.label = run.label;
  plan.sizes = out_sizes;
  plan.alpha = run.alpha;
  plan.seed = run.seed;
  plan.sharp_keys = run.sharp_keys;
  for (std::size_t l = 0; l < out_sizes.size(); ++l)
    plan.rounds.push_back(l == 0 ? run.coarsest_rounds : run.rounds);
  plan.initial = resize_volume(run.start, out_sizes.front());
  if (run.noise_std > 0) {
    at::Generator noise = at::detail::createCPUGenerator(run.seed ^ kNoiseStream);
    plan.noise = torch::randn(plan.initial.sizes(), noise, torch::kFloat).to(plan.initial.device());
    plan.noise_std = run.noise_std;
    plan.max_in_place = run.max_in_place;
  }
  return plan;
}

LevelFloor floor_of(const PatchShape& patch) {
  return {patch.side, patch.frames};
}

}  // namespace

void add_note(std::vector<std::string>& notes, const std::string& note) {
  log::info("patchnn: {}", note);
  notes.push_back(note);
}

std::vector<torch::Tensor> run_volumes(const std::vector<VolumeRun>& runs,
                                       const PatchnnParams& params, const Callbacks& callbacks,
                                       PatchnnReport& report) {
  const double start = monotonic_s();
  std::vector<RunPlan> plans;
  std::vector<std::vector<VolumeSize>> source_sizes;
  for (const VolumeRun& run : runs) {
    source_sizes.push_back(level_sizes(size_of(run.source), run.scales, floor_of(run.patch)));
    plans.push_back(plan_of(run, level_sizes(run.out, run.scales, floor_of(run.patch))));
  }
  JobProgress progress(plans, callbacks);
  std::vector<torch::Tensor> outputs;
  std::vector<SourceLevel> prepared;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const bool same_source = i > 0 && runs[i].source.is_same(runs[i - 1].source) &&
                             source_sizes[i] == source_sizes[i - 1];
    if (!same_source) {
      progress.check_stop();
      torch::NoGradGuard no_grad;
      prepared = prepare_source(build_levels(runs[i].source, source_sizes[i]), runs[i].patch,
                                params.feature_dims, runs[i].sharp_keys);
    }
    progress.begin_run(i);
    RunStats stats;
    outputs.push_back(synthesize(prepared, plans[i], runs[i].patch, params, progress, &stats));
    report.levels.insert(report.levels.end(), stats.levels.begin(), stats.levels.end());
    if (stats.noise_std > runs[i].noise_std) {
      add_note(report.notes,
               log::text("{}: noise {:.2f} instead of {:.2f}: with less, the coarsest level "
                         "came back a copy of the source",
                         runs[i].label, stats.noise_std, runs[i].noise_std));
    }
  }
  report.seconds = monotonic_s() - start;
  return outputs;
}

Image picture_within_limits(const Image& picture, const PatchnnParams& params,
                            const std::string& name, std::vector<std::string>& notes) {
  if (picture.empty()) throw bad_input(name + ": the picture is empty");
  Image out = picture;
  if (std::max(picture.width, picture.height) > params.max_size) {
    out = fit_within(picture, params.max_size);
    add_note(notes, name + " is " + dimensions(picture.width, picture.height) +
                        " px: downscaled to " + dimensions(out.width, out.height) +
                        " (the preset's max_size is " + std::to_string(params.max_size) + ")");
  }
  if (std::min(out.width, out.height) < params.patch_size) {
    throw bad_input(name + " is " + dimensions(out.width, out.height) +
                    " px, smaller than one patch: a picture needs at least " +
                    std::to_string(params.patch_size) + " px on each side (patch_size)");
  }
  return out;
}

Video clip_within_limits(const Video& clip, const PatchnnParams& params, const std::string& name,
                         std::vector<std::string>& notes) {
  if (clip.empty()) throw bad_input(name + ": the clip has no frames");
  const int frames = static_cast<int>(clip.frames.size());
  if (frames < params.patch_frames) {
    throw bad_input(name + " has " + std::to_string(frames) + (frames == 1 ? " frame" : " frames") +
                    "; video variations need at least " + std::to_string(params.patch_frames) +
                    " (a space-time patch spans that many)");
  }
  Video out;
  out.fps = clip.fps;
  if (frames > params.max_frames) {
    out.frames.assign(clip.frames.begin(), clip.frames.begin() + params.max_frames);
    add_note(notes, name + " has " + std::to_string(frames) + " frames: the first " +
                        std::to_string(params.max_frames) + " are used (the preset's max_frames)");
  } else {
    out.frames = clip.frames;
  }
  const int w = clip.width(), h = clip.height();
  if (std::max(w, h) > params.max_video_size) {
    for (Image& frame : out.frames) frame = fit_within(frame, params.max_video_size);
    add_note(notes, name + " has " + dimensions(w, h) + " px frames: downscaled to " +
                        dimensions(out.width(), out.height()) +
                        " (the preset's max_video_size is " +
                        std::to_string(params.max_video_size) + ")");
  }
  if (std::min(out.width(), out.height()) < params.patch_size) {
    throw bad_input(name + " has " + dimensions(out.width(), out.height()) +
                    " px frames, smaller than one patch: frames need at least " +
                    std::to_string(params.patch_size) + " px on each side (patch_size)");
  }
  return out;
}

VolumeSize output_size(int width, int height, int frames, const VolumeSize& source,
                       const PatchShape& patch) {
  if (width < 0 || height < 0 || frames < 0) throw usage_error("patchnn: a negative output size");
  if (width == 0 && height == 0) {
    width = source.width;
    height = source.height;
  } else if (width == 0) {
    width = static_cast<int>(std::lround(height * double(source.width) / source.height));
  } else if (height == 0) {
    height = static_cast<int>(std::lround(width * double(source.height) / source.width));
  }
  if (frames == 0) frames = source.frames;
  if (std::min(width, height) < patch.side || std::max(width, height) > kMaxOutputSide) {
    throw usage_error("patchnn: an output size must lie between " + std::to_string(patch.side) +
                      " (one patch) and " + std::to_string(kMaxOutputSide) + " px a side, not " +
                      dimensions(width, height));
  }
  if (frames < patch.frames) {
    throw usage_error("patchnn: an output needs at least " + std::to_string(patch.frames) +
                      " frames (one space-time patch), not " + std::to_string(frames));
  }
  return {frames, height, width};
}

torch::Tensor source_at_output_scale(const torch::Tensor& source, const VolumeSize& out) {
  const VolumeSize size = size_of(source);
  const double scale = std::max(double(out.width) / size.width, double(out.height) / size.height);
  if (scale >= 1) return source;
  const VolumeSize scaled{size.frames, std::max(1, int(std::lround(size.height * scale))),
                          std::max(1, int(std::lround(size.width * scale)))};
  return resize_volume(source, scaled).contiguous();
}

torch::Tensor picture_volume(const Image& picture, const torch::Device& device) {
  return image_to_tensor(picture, device).squeeze(0).unsqueeze(1).contiguous();
}

Image volume_picture(const torch::Tensor& volume) {
  return tensor_to_image(volume.select(1, 0));
}

}  // namespace atelier::patchnn
