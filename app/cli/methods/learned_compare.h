// `eval patchnn --compare`: the learned methods on the same inputs as the instant mode, measured
// the way eval patchnn measures it (time to the first result, SWD ratio, diversity, structure,
// motion), so that one table shows both. A method left out of the build gives no row.
#pragma once

#include <optional>
#include <string>

#include "atelier/compute.h"
#include "atelier/image.h"
#include "atelier/job.h"
#include "atelier/video.h"

namespace atelier::cli {

// One line of the comparison table; the measures of its kind apply.
struct EvalRow {
  enum class Kind { Picture, Pair, Video };
  Kind kind = Kind::Picture;
  std::string input;     // file name(s)
  std::string method;    // "patchnn preview", "singan preview", ...
  std::string size;      // the result's: "256x203", "128x96 x 26 frames"
  double seconds = 0;    // time to the first result (learned: training included)
  double swd_ratio = 0;  // pictures and videos
  double diversity = 0;
  double layout_psnr = 0;  // patchnn pictures: the samples against the source at 32 px (dB)
  double structure_ab = 0, structure_b_vs_a = 0;  // pairs: a->b against a, and b itself
  double structure_ba = 0, structure_a_vs_b = 0;
  double motion_ratio = 0;  // videos
};

struct LearnedSettings {
  std::string preset = "preview";
  int samples = 4;
  std::uint64_t seed = 1;
  ComputeOptions compute;
  Callbacks callbacks;  // training progress
};

std::optional<EvalRow> learned_picture_row(const Image& picture, const std::string& name,
                                           const LearnedSettings& settings);
std::optional<EvalRow> learned_pair_row(const Image& a, const Image& b, const std::string& name,
                                        const LearnedSettings& settings);
// `clip`: the frames the instant mode used.
std::optional<EvalRow> learned_video_row(const Video& clip, const std::string& name,
                                         const LearnedSettings& settings);

}  // namespace atelier::cli
