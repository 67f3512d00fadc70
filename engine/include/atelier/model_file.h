// atelier/model_file.h — what a trained model file (.atl) says about itself.
//
// An .atl file is a versioned archive (see engine/src/core/model_archive.h for the layout) with the
// method id, the preset and parameters used, module and optimizer states, step, seed, creation time
// and a thumbnail. It never contains code. Reading validates every length, type and checksum.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "atelier/image.h"

namespace atelier {

constexpr std::uint32_t kModelFormatVersion = 1;

struct TensorRecord {
  std::string name;
  std::string dtype;               // "float32", "int64", ...
  std::vector<std::int64_t> shape;
};

struct ModelInfo {
  std::string path;
  std::uint32_t format_version = 0;
  std::string method;          // "singan", "disentangle", ...
  std::string preset;          // the preset's size name or file
  nlohmann::json params;       // the parameters the model was trained with (overrides applied)
  nlohmann::json state;        // method-specific small state (scales trained, noise amplitudes, ...)
  std::int64_t step = 0;       // global training steps done
  std::uint64_t seed = 0;
  std::string created;         // ISO 8601 UTC
  bool finished = false;       // false: training was stopped; resume continues it
  std::string atelier_version;
  Image thumbnail;             // small RGB preview; may be empty
  std::vector<TensorRecord> tensors;
  std::uint64_t file_size = 0;
};

// Reads and validates the whole file (checksums included) but returns only its description.
// Throws Error(BadInput) naming the file and the problem for anything that is not a valid .atl.
ModelInfo inspect_model(const std::string& path);

nlohmann::json to_json(const ModelInfo& info);  // without the thumbnail pixels

}  // namespace atelier
