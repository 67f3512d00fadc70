// The training position of a multi-scale model file (singan, analogy, videogen), kept in
// info.state as "scale", "scale_step" and "elapsed_s", and the checks of a file to resume.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "core/model_archive.h"
#include "core/scale_loop.h"

namespace atelier {

struct StoredPosition {
  int scale = 0;                // scale being trained (== scale count when finished)
  std::int64_t scale_step = 0;  // iterations done at that scale
  double elapsed_s = 0;         // training time spent in all runs so far
};

void put_position(nlohmann::json& state, const StoredPosition& position);
// What a save stores for a run at `position` of `scales`: the scale count when finished.
StoredPosition position_to_store(const ScalePosition& position, int scales, bool finished,
                                 double elapsed_s);
// Error(BadInput) naming the file ("not a usable <method> model: bad training state ...").
StoredPosition stored_position(const RawModelArchive& archive, const std::string& method);

// Reads a model file of `method` to continue its training; Error(Usage) for a finished one.
RawModelArchive read_resumable_archive(const std::string& path, const std::string& method);

}  // namespace atelier
