// The one-click flow behind `atelier-cli video-variations` and the studio's "Generate variations":
// read the clip, train videogen, draw n samples and write them with a contact sheet.
#include <filesystem>
#include <string>
#include <vector>

#include "atelier/compute.h"
#include "atelier/error.h"
#include "atelier/videogen.h"
#include "io/variation_files.h"

namespace atelier {

namespace fs = std::filesystem;

Video read_videogen_clip(const VideoClipChoice& choice, Preset& preset) {
  if (choice.frames > 0) {
    std::vector<std::string> set{"frames=" + std::to_string(choice.frames)};
    if (choice.frames < VideogenParams::from_preset(preset).min_frames) {
      set.push_back("min_frames=" + std::to_string(choice.frames));
    }
    apply_overrides(preset, set);
  }
  const VideogenParams params = VideogenParams::from_preset(preset);
  VideoReadOptions options;
  options.start = choice.start;
  options.max_frames = params.frames;
  options.fps = choice.fps;
  Video clip = read_video(choice.video, options);
  if (static_cast<int>(clip.frames.size()) < params.frames) {
    throw bad_input(
        choice.video + ": " + std::to_string(clip.frames.size()) + " frames from frame " +
        std::to_string(choice.start) +
        (choice.fps > 0 ? " at " + std::to_string(choice.fps) + " fps" : std::string()) +
        ", but the clip needs " + std::to_string(params.frames) +
        " (choose fewer frames, another start or a lower frame rate)");
  }
  return clip;
}

VideoVariationsResult make_video_variations(const VideoVariationsParams& params,
                                            const Callbacks& callbacks) {
  if (params.n < 1) throw usage_error("video variations: n must be at least 1");
  if (params.out_dir.empty()) throw usage_error("video variations: no output folder given");
  Preset preset = load_preset("videogen", params.preset);
  apply_overrides(preset, params.overrides);
  const Video input = read_videogen_clip(params.clip, preset);  // every input check first

  const fs::path out(params.out_dir);
  const bool created = !fs::exists(out);
  fs::create_directories(out);
  VideoVariationsResult result;
  result.model = (out / "model.atl").string();
  TrainOptions train;
  train.out = result.model;
  train.resume = params.resume;
  train.compute = params.compute;
  train.seed = params.seed;
  train.preview_every = params.preview_every;
  TrainResult trained;
  try {
    trained = train_videogen(input, preset, train, callbacks);
  } catch (...) {
    if (created && fs::is_empty(out)) fs::remove(out);  // leave no empty folder behind
    throw;
  }
  result.train_seconds = trained.seconds;
  if (!trained.finished) return result;
  result.finished = true;

  const VideogenModel model = VideogenModel::load(result.model, params.compute);
  Progress progress;
  progress.phase = "generate";
  progress.steps = params.n;
  for (int k = 1; k <= params.n; ++k) {
    VideogenSampleOptions options = params.sample;
    options.seed = params.seed + static_cast<std::uint64_t>(k - 1);
    adapt_threads();
    result.variations.push_back(model.sample(options));
    for (const std::string& file : write_variation(result.variations.back(), out.string(), k))
      result.files.push_back(file);
    progress.step = k;
    callbacks.progress(progress);
  }
  result.clip = model.training_clip();
  VariationFiles files;
  write_input_and_contact_sheet(result.clip, result.variations, out.string(), files);
  result.input = files.input;
  result.contact_sheet = files.contact_sheet;
  return result;
}

}  // namespace atelier
