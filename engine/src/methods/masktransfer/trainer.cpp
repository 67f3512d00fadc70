// train_masktransfer: disentangle's loop, its domain loss judging transfers composed over the
// real image (after the warm-up, guide_solid_from).
#include "atelier/masktransfer.h"
#include "core/guard.h"
#include "methods/disentangle/trainer.h"

namespace atelier {

TrainResult train_masktransfer(const TransferImages& images, const Preset& preset,
                               const TrainOptions& options, const Callbacks& callbacks) {
  return guarded("training masktransfer", [&] {
    disentangle::MethodSetup setup;
    setup.method = "masktransfer";
    setup.composition = disentangle::Composition::PassThrough;
    const MasktransferParams params = MasktransferParams::from_preset(preset);
    setup.params = params;
    setup.params_json = params.to_json();
    setup.preset_name = preset.size;
    setup.read_stored = [](const nlohmann::json& json, const std::string& source) {
      return static_cast<DisentangleParams>(MasktransferParams::from_json(json, source));
    };
    disentangle::Trainer trainer(std::move(setup), options, callbacks);
    return trainer.run(images);
  });
}

}  // namespace atelier
