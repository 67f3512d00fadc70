// PatchnnParams: preset JSON <-> struct, with the checks that make a bad preset fail early.
#include <string>

#include "atelier/error.h"
#include "atelier/patchnn.h"

namespace atelier {
namespace {

void require(bool ok, const std::string& source, const std::string& what) {
  if (!ok) throw bad_input(source + ": patchnn parameter " + what);
}

bool odd_in(int value, int low, int high) {
  return value % 2 == 1 && value >= low && value <= high;
}

void validate(const PatchnnParams& p, const std::string& source) {
  require(odd_in(p.patch_size, 3, 15), source, "patch_size must be odd and lie in [3, 15]");
  require(odd_in(p.patch_frames, 1, 7), source, "patch_frames must be odd and lie in [1, 7]");
  require(p.max_size >= p.patch_size && p.max_size <= 8192, source,
          "max_size must lie in [patch_size, 8192]");
  require(p.max_video_size >= p.patch_size && p.max_video_size <= 4096, source,
          "max_video_size must lie in [patch_size, 4096]");
  require(p.max_frames >= p.patch_frames && p.max_frames <= 4096, source,
          "max_frames must lie in [patch_frames, 4096]");
  require(p.scale_factor > 0 && p.scale_factor < 1, source, "scale_factor must lie in (0, 1)");
  require(p.video_scale_factor > 0 && p.video_scale_factor < 1, source,
          "video_scale_factor must lie in (0, 1)");
  require(p.video_time_factor > 0 && p.video_time_factor <= 1, source,
          "video_time_factor must lie in (0, 1]");
  require(p.min_size >= p.patch_size, source, "min_size must be at least patch_size");
  require(p.retarget_min_size >= p.patch_size, source,
          "retarget_min_size must be at least patch_size");
  require(p.video_min_size >= p.patch_size, source, "video_min_size must be at least patch_size");
  require(p.video_min_frames >= p.patch_frames, source,
          "video_min_frames must be at least patch_frames");
  require(p.analogy_levels >= 0 && p.analogy_levels <= 20 && p.paint_levels >= 0 &&
              p.paint_levels <= 20,
          source, "analogy_levels and paint_levels must lie in [0, 20]");
  require(p.rounds >= 1 && p.coarsest_rounds >= 1 && p.video_rounds >= 1, source,
          "rounds, coarsest_rounds and video_rounds must be at least 1");
  require(p.noise_std >= 0 && p.video_noise_std >= 0, source,
          "noise_std and video_noise_std must not be negative");
  require(p.max_in_place >= 0 && p.max_in_place <= 1, source, "max_in_place must lie in [0, 1]");
  require(
      p.sample_alpha >= 0 && p.retarget_alpha >= 0 && p.analogy_alpha >= 0 && p.paint_alpha >= 0,
      source, "the alphas must not be negative (0 turns completeness off)");
  require(p.search == "auto" || p.search == "exact" || p.search == "patchmatch", source,
          "search must be \"auto\", \"exact\" or \"patchmatch\", not \"" + p.search + "\"");
  require(p.exact_max_patches >= 0, source, "exact_max_patches must not be negative");
  require(p.patchmatch_iterations >= 1, source, "patchmatch_iterations must be at least 1");
  require(p.feature_dims >= 0, source, "feature_dims must not be negative (0: whole patches)");
  require(p.blend_sigma > 0, source, "blend_sigma must be positive");
}

}  // namespace

PatchnnParams PatchnnParams::from_json(const nlohmann::json& params, const std::string& source) {
  ParamReader r(params, source);
  PatchnnParams p;
  p.max_size = r.get<int>("max_size");
  p.max_video_size = r.get<int>("max_video_size");
  p.max_frames = r.get<int>("max_frames");
  p.patch_size = r.get<int>("patch_size");
  p.scale_factor = r.get<double>("scale_factor");
  p.min_size = r.get<int>("min_size");
  p.retarget_min_size = r.get<int>("retarget_min_size");
  p.analogy_levels = r.get<int>("analogy_levels");
  p.paint_levels = r.get<int>("paint_levels");
  p.rounds = r.get<int>("rounds");
  p.coarsest_rounds = r.get<int>("coarsest_rounds");
  p.noise_std = r.get<double>("noise_std");
  p.max_in_place = r.get<double>("max_in_place");
  p.sample_alpha = r.get<double>("sample_alpha");
  p.retarget_alpha = r.get<double>("retarget_alpha");
  p.analogy_alpha = r.get<double>("analogy_alpha");
  p.paint_alpha = r.get<double>("paint_alpha");
  p.patch_frames = r.get<int>("patch_frames");
  p.video_scale_factor = r.get<double>("video_scale_factor");
  p.video_time_factor = r.get<double>("video_time_factor");
  p.video_min_size = r.get<int>("video_min_size");
  p.video_min_frames = r.get<int>("video_min_frames");
  p.video_rounds = r.get<int>("video_rounds");
  p.video_noise_std = r.get<double>("video_noise_std");
  p.video_sharp_keys = r.get<bool>("video_sharp_keys");
  p.search = r.get<std::string>("search");
  p.exact_max_patches = r.get<int>("exact_max_patches");
  p.patchmatch_iterations = r.get<int>("patchmatch_iterations");
  p.feature_dims = r.get<int>("feature_dims");
  p.blend_sigma = r.get<double>("blend_sigma");
  r.finish();
  validate(p, source);
  return p;
}

PatchnnParams PatchnnParams::from_preset(const Preset& preset) {
  if (!preset.method.empty() && preset.method != "patchnn") {
    throw bad_input(preset.path + ": a preset for '" + preset.method + "', not 'patchnn'");
  }
  return from_json(preset.params, preset.path.empty() ? "patchnn preset" : preset.path);
}

nlohmann::json PatchnnParams::to_json() const {
  return {
      {"max_size", max_size},
      {"max_video_size", max_video_size},
      {"max_frames", max_frames},
      {"patch_size", patch_size},
      {"scale_factor", scale_factor},
      {"min_size", min_size},
      {"retarget_min_size", retarget_min_size},
      {"analogy_levels", analogy_levels},
      {"paint_levels", paint_levels},
      {"rounds", rounds},
      {"coarsest_rounds", coarsest_rounds},
      {"noise_std", noise_std},
      {"max_in_place", max_in_place},
      {"sample_alpha", sample_alpha},
      {"retarget_alpha", retarget_alpha},
      {"analogy_alpha", analogy_alpha},
      {"paint_alpha", paint_alpha},
      {"patch_frames", patch_frames},
      {"video_scale_factor", video_scale_factor},
      {"video_time_factor", video_time_factor},
      {"video_min_size", video_min_size},
      {"video_min_frames", video_min_frames},
      {"video_rounds", video_rounds},
      {"video_noise_std", video_noise_std},
      {"video_sharp_keys", video_sharp_keys},
      {"search", search},
      {"exact_max_patches", exact_max_patches},
      {"patchmatch_iterations", patchmatch_iterations},
      {"feature_dims", feature_dims},
      {"blend_sigma", blend_sigma},
  };
}

}  // namespace atelier
