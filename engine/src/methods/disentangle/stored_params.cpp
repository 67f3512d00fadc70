#include "methods/disentangle/stored_params.h"

#include "atelier/error.h"

namespace atelier::disentangle {

Composition composition_of(const std::string& method, const std::string& source) {
  if (method == "disentangle") return Composition::Render;
  if (method == "masktransfer") return Composition::PassThrough;
  throw bad_input(source + ": a '" + method + "' model, not disentangle or masktransfer");
}

DisentangleParams read_stored_params(const nlohmann::json& params, const std::string& source,
                                     const std::string& method, double* mask_threshold) {
  composition_of(method, source);
  if (method == "disentangle") return DisentangleParams::from_json(params, source);
  nlohmann::json rest = params;
  if (!rest.is_object() || !rest.contains("mask_threshold") ||
      !rest["mask_threshold"].is_number()) {
    throw bad_input(source + ": masktransfer parameter mask_threshold is missing or not a number");
  }
  if (mask_threshold) *mask_threshold = rest["mask_threshold"].get<double>();
  rest.erase("mask_threshold");
  return DisentangleParams::from_json(rest, source);
}

}  // namespace atelier::disentangle
