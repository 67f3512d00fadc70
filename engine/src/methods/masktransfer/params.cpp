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

namespace {

MasktransferParams read(ParamReader& r) {
  MasktransferParams p;
  disentangle::read_params(r, p);
  p.mask_threshold = r.get<double>("mask_threshold", Range::right_open(0, 1));
  r.finish();
  disentangle::validate_params(p, r);
  // Its masks come from the attribute layers.
  r.require(p.generator == "layered", {"generator"},
            "generator must be \"layered\" (masktransfer)");
  return p;
}

}  // namespace

MasktransferParams MasktransferParams::from_json(const nlohmann::json& params,
                                                 const std::string& source) {
  ParamReader r(params, source);
  return read(r);
}

MasktransferParams MasktransferParams::from_preset(const Preset& preset) {
  if (!preset.method.empty() && preset.method != "masktransfer") {
    throw bad_input(preset.path + ": a preset for '" + preset.method + "', not 'masktransfer'");
  }
  ParamReader r(preset);
  return read(r);
}

nlohmann::json MasktransferParams::to_json() const {
  nlohmann::json json = disentangle::params_json(*this);
  json["mask_threshold"] = mask_threshold;
  return json;
}

}  // namespace atelier
