// From inputs to outputs: the pyramids of a run (source and output sizes, the initial guess with
// its noise) and the runs of one job on their prepared sources. The public operations
// (operations.cpp) only say what each run starts from.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "atelier/job.h"
#include "atelier/patchnn.h"
#include "methods/patchnn/patch_features.h"
#include "methods/patchnn/volume_pyramid.h"

namespace atelier::patchnn {

struct VolumeRun {
  std::string label;     // progress phase
  torch::Tensor source;  // C x T x H x W: whose patches make the output
  torch::Tensor start;   // the initial guess at any size (shrunk to the coarsest level)
  VolumeSize out;        // the output's finest size
  std::vector<LevelScale> scales;
  PatchShape patch;
  double noise_std = 0;  // [0, 1] pixel units, added at the coarsest level
  double max_in_place = 1;  // see RunPlan
  double alpha = 0;
  int coarsest_rounds = 1;
  int rounds = 1;
  bool sharp_keys = false;  // see RunPlan
  std::uint64_t seed = 1;
};

// Runs every run as one job (one ETA), preparing each distinct source once. Appends each run's
// level statistics to report.levels and sets report.seconds.
std::vector<torch::Tensor> run_volumes(const std::vector<VolumeRun>& runs,
                                       const PatchnnParams& params, const Callbacks& callbacks,
                                       PatchnnReport& report);

// The space-time pyramid and the noisy start of a video sample of `clip` (C x T x H x W).
VolumeRun video_run(const std::string& label, const torch::Tensor& clip,
                    const PatchnnParams& params, const PatchnnVideoOptions& options);

// ---- Inputs ----

// The picture as patchnn uses it: larger than max_size downscaled (with a note in `notes` and
// the log). Error(BadInput) naming `name` when it is empty or smaller than a patch.
Image picture_within_limits(const Image& picture, const PatchnnParams& params,
                            const std::string& name, std::vector<std::string>& notes);

// The same for a clip: frames larger than max_video_size downscaled, more than max_frames cut
// (each with a note); fewer frames than a patch spans or frames smaller than a patch:
// Error(BadInput) naming `name`.
Video clip_within_limits(const Video& clip, const PatchnnParams& params, const std::string& name,
                         std::vector<std::string>& notes);

// The output size asked for: 0 x 0 the source's, one side 0 keeps the source's aspect. Sides
// outside [patch side, 8192]: Error(Usage).
VolumeSize output_size(int width, int height, int frames, const VolumeSize& source,
                       const PatchShape& patch);

// The source brought down to the scale of a smaller output (the larger of the two side ratios),
// so that a 256-px sample of a 512-px photo shows the whole photo, not a part of it at full
// scale. A larger output keeps the source's scale and grows the canvas. Frames are kept.
torch::Tensor source_at_output_scale(const torch::Tensor& source, const VolumeSize& out);

// 3 x 1 x H x W on `device`, and back.
torch::Tensor picture_volume(const Image& picture, const torch::Device& device);
Image volume_picture(const torch::Tensor& volume);

// Records a note: kept for the result and logged.
void add_note(std::vector<std::string>& notes, const std::string& note);

}  // namespace atelier::patchnn
