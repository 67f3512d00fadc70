// The instant video variations: read the clip, draw n variations as one job, and only then write
// them (so that a failure or a stop request leaves nothing behind).
#include <torch/torch.h>

#include <filesystem>

#include "atelier/error.h"
#include "atelier/patchnn.h"
#include "core/bench_util.h"
#include "core/device.h"
#include "core/guard.h"
#include "core/tensor_image.h"
#include "io/variation_files.h"
#include "methods/patchnn/volume_run.h"

namespace atelier {

namespace fs = std::filesystem;

Video read_patchnn_clip(const PatchnnClipChoice& choice, const PatchnnParams& params,
                        std::vector<std::string>* notes) {
  if (choice.start < 0 || choice.frames < 0 || choice.fps < 0 || choice.width < 0)
    throw usage_error("patchnn: start, frames, fps and width must not be negative");
  VideoReadOptions read;
  read.start = choice.start;
  read.fps = choice.fps;
  read.width = choice.width;
  // One frame more than the limit tells a clip at the limit from a longer one.
  read.max_frames = choice.frames > 0 ? choice.frames : params.max_frames + 1;
  Video clip = read_video(choice.video, read);
  if (choice.frames == 0 && static_cast<int>(clip.frames.size()) > params.max_frames) {
    clip.frames.resize(params.max_frames);
    std::vector<std::string> ignored;
    patchnn::add_note(notes ? *notes : ignored,
                      choice.video + " has more than " + std::to_string(params.max_frames) +
                          " frames from frame " + std::to_string(choice.start) + ": the first " +
                          std::to_string(params.max_frames) +
                          " are used (the preset's max_frames; ask for fewer frames to shorten)");
  }
  return clip;
}

PatchnnVariationsResult make_patchnn_video_variations(const PatchnnVariationsParams& p,
                                                      const Callbacks& callbacks) {
  if (p.n < 1) throw usage_error("video variations: n must be at least 1");
  if (p.out_dir.empty()) throw usage_error("video variations: no output folder given");
  Preset preset = load_preset("patchnn", p.preset);
  apply_overrides(preset, p.overrides);
  const PatchnnParams params = PatchnnParams::from_preset(preset);
  return guarded("patchnn video variations of " + p.clip.video, [&] {
    const double start = monotonic_s();
    PatchnnVariationsResult result;
    std::vector<std::string>& notes = result.report.notes;
    const Video read = read_patchnn_clip(p.clip, params, &notes);
    result.clip = patchnn::clip_within_limits(read, params, p.clip.video, notes);
    const torch::Device device = prepare_compute(p.compute, p.seed);
    const torch::Tensor volume = video_to_tensor(result.clip, device).squeeze(0);
    std::vector<patchnn::VolumeRun> runs;
    for (int k = 1; k <= p.n; ++k) {
      PatchnnVideoOptions options = p.sample;
      options.seed = p.seed + static_cast<std::uint64_t>(k - 1);
      runs.push_back(patchnn::video_run("variation " + std::to_string(k), volume, params, options));
    }
    const std::vector<torch::Tensor> out =
        patchnn::run_volumes(runs, params, callbacks, result.report);
    result.report.levels.resize(result.report.levels.size() / p.n);  // the first variation's
    for (const torch::Tensor& v : out)
      result.variations.push_back(tensor_to_video(v.unsqueeze(0), result.clip.fps));

    fs::create_directories(p.out_dir);
    for (int k = 1; k <= p.n; ++k) {
      for (const std::string& file : write_variation(result.variations[k - 1], p.out_dir, k))
        result.files.push_back(file);
    }
    VariationFiles files;
    write_input_and_contact_sheet(result.clip, result.variations, p.out_dir, files);
    result.input = files.input;
    result.contact_sheet = files.contact_sheet;
    result.seconds = monotonic_s() - start;
    return result;
  });
}

}  // namespace atelier
