// MasktransferParams: disentangle's keys (read by the same code) plus the mask threshold.
#include <string>

#include "atelier/error.h"
#include "atelier/masktransfer.h"
#include "methods/disentangle/params_io.h"

namespace atelier {

MasktransferParams::MasktransferParams() {
  generator = "layered";
  erase_attributes = true;
}

MasktransferParams MasktransferParams::from_json(const nlohmann::json& params,
                                                 const std::string& source) {
  ParamReader r(params, source);
  MasktransferParams p;
  disentangle::read_params(r, p);
  p.mask_threshold = r.get<double>("mask_threshold");
  r.finish();
  disentangle::validate_params(p, source, "masktransfer");
  if (p.generator != "layered") {
    throw bad_input(source + ": masktransfer parameter generator must be \"layered\" (its masks "
                             "come from the attribute layers)");
  }
  if (!(p.mask_threshold >= 0 && p.mask_threshold < 1)) {
    throw bad_input(source + ": masktransfer parameter mask_threshold must lie in [0, 1)");
  }
  return p;
}

MasktransferParams MasktransferParams::from_preset(const Preset& preset) {
  if (!preset.method.empty() && preset.method != "masktransfer") {
    throw bad_input(preset.path + ": a preset for '" + preset.method + "', not 'masktransfer'");
  }
  return from_json(preset.params, preset.path.empty() ? "masktransfer preset" : preset.path);
}

nlohmann::json MasktransferParams::to_json() const {
  nlohmann::json json = disentangle::params_json(*this);
  json["mask_threshold"] = mask_threshold;
  return json;
}

}  // namespace atelier
