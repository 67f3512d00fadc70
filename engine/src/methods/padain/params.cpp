// PadainParams: preset JSON <-> struct; every number read once, with its range.
#include <string>

#include "atelier/error.h"
#include "atelier/padain.h"

namespace atelier {
namespace {

PadainParams read_all(ParamReader& r) {
  PadainParams p;
  p.width = r.get<int>("width", {4, 256});
  p.blocks = r.get<int>("blocks", {1, 5});
  p.p = r.get<double>("p", {0, 1});
  p.train_images = r.get<int>("train_images", {0, 1000000});
  p.epochs = r.get<int>("epochs", {1, 1000});
  p.batch = r.get<int>("batch", {2, 4096});
  p.lr = r.get<double>("lr", Range::left_open(0, 1));
  p.weight_decay = r.get<double>("weight_decay", {0, 1});
  p.test_images = r.get<int>("test_images", {0, 1000000});
  p.cross_domain_images = r.get<int>("cross_domain_images", {1, 100000});
  r.finish();
  return p;
}

}  // namespace

PadainParams PadainParams::from_json(const nlohmann::json& params, const std::string& source) {
  ParamReader r(params, source);
  return read_all(r);
}

PadainParams PadainParams::from_preset(const Preset& preset) {
  if (!preset.method.empty() && preset.method != "padain") {
    throw bad_input(preset.path + ": a preset for '" + preset.method + "', not 'padain'");
  }
  ParamReader r(preset);
  return read_all(r);
}

nlohmann::json PadainParams::to_json() const {
  return {{"width", width},
          {"blocks", blocks},
          {"p", p},
          {"train_images", train_images},
          {"epochs", epochs},
          {"batch", batch},
          {"lr", lr},
          {"weight_decay", weight_decay},
          {"test_images", test_images},
          {"cross_domain_images", cross_domain_images}};
}

}  // namespace atelier
