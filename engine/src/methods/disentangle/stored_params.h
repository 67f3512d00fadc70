// Reading the parameters of either method's model file or preset without the masktransfer
// library (which builds on this one): masktransfer's only extra key is mask_threshold.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "atelier/disentangle.h"
#include "methods/disentangle/ops.h"

namespace atelier::disentangle {

// Error(BadInput) naming `source` for another method than disentangle or masktransfer.
DisentangleParams read_stored_params(const nlohmann::json& params, const std::string& source,
                                     const std::string& method, double* mask_threshold = nullptr);
Composition composition_of(const std::string& method, const std::string& source);

}  // namespace atelier::disentangle
