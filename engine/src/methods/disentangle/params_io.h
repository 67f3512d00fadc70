// Reading and checking DisentangleParams' keys; masktransfer's params extend the same set.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "atelier/disentangle.h"
#include "atelier/preset.h"

namespace atelier::disentangle {

void read_params(ParamReader& reader, DisentangleParams& params);
// Error(BadInput) naming `source` and the parameter; `method` names the method in the message.
void validate_params(const DisentangleParams& params, const std::string& source,
                     const std::string& method);
nlohmann::json params_json(const DisentangleParams& params);

}  // namespace atelier::disentangle
