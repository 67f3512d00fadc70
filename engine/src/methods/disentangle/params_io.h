// Reading and checking DisentangleParams' keys; masktransfer's params extend the same set.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "atelier/disentangle.h"
#include "atelier/preset.h"

namespace atelier::disentangle {

// Reads every key, each within its range (errors name the key and the file or the --set).
void read_params(ParamReader& reader, DisentangleParams& params);
// The rules between parameters, reported through `reader` like its own errors.
void validate_params(const DisentangleParams& params, const ParamReader& reader);
nlohmann::json params_json(const DisentangleParams& params);

}  // namespace atelier::disentangle
