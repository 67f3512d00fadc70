#include "oneshot_job.h"

#include <QStringList>
#include <filesystem>
#include <memory>
#include <vector>

#include "atelier/error.h"
#include "atelier/image.h"
#include "atelier/oneshot.h"
#include "atelier/preset.h"
#include "other_ranks.h"

namespace atelier::ui {
namespace {

bool exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

}  // namespace

QStringList oneshotLossPhases() {
  // The engine's names of its two training stages.
  return {QStringLiteral("autoencoder B"), QStringLiteral("translation")};
}

EngineJob oneshotTrainJob(const OneshotTrainRequest& request, bool resume) {
  return [r = request, resume](const atelier::Callbacks& callbacks) {
    const atelier::Preset preset = atelier::load_preset("oneshot", r.preset.toStdString());
    const std::string bFolder = r.bFolder.toStdString();
    atelier::TrainOptions options;
    options.compute = r.compute;
    options.preview_every = r.previewEvery;

    std::string base = r.base.toStdString();
    if (base.empty()) {
      base = r.baseOut.toStdString();
      const bool started = resume && exists(base);
      if (!started || !atelier::oneshot_file_state(base).finished) {
        const atelier::OneshotParams params = atelier::OneshotParams::from_preset(preset);
        atelier::TrainOptions o = options;
        o.out = base;
        if (started) o.resume = base;
        const std::unique_ptr<OtherRanks> others = startOtherRanks(
            {"oneshot", "--b", bFolder, "--preset", r.preset.toStdString()}, r.processes, o);
        atelier::OneshotInputs inputs;
        inputs.b_folder = std::filesystem::absolute(bFolder).lexically_normal().string();
        inputs.b = atelier::load_oneshot_b_shard(bFolder, params.image_size, 0, r.processes,
                                                 inputs.b_total);
        if (!atelier::train_oneshot(inputs, preset, o, callbacks).finished) return false;
      }
    }

    const atelier::OneshotFileState state = atelier::oneshot_file_state(base);
    if (state.phase != 1) {
      throw atelier::bad_input(base + ": a phase II model; phase II starts from a phase I model");
    }
    atelier::OneshotInputs inputs;
    inputs.b_folder = std::filesystem::absolute(bFolder).lexically_normal().string();
    inputs.b = atelier::load_oneshot_b_folder(bFolder, state.image_size);
    atelier::TrainOptions o = options;
    o.out = r.out.toStdString();
    if (resume && exists(o.out)) {
      o.resume = o.out;  // the file holds its base's networks and its A picture
    } else {
      inputs.base = base;
      inputs.a = atelier::load_image(r.picture.toStdString());
    }
    return atelier::train_oneshot(inputs, preset, o, callbacks).finished;
  };
}

}  // namespace atelier::ui
