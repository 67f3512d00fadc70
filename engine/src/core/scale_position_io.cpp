#include "core/scale_position_io.h"

#include "atelier/error.h"
#include "atelier/preset.h"

namespace atelier {

void put_position(nlohmann::json& state, const StoredPosition& position) {
  state["scale"] = position.scale;
  state["scale_step"] = position.scale_step;
  state["elapsed_s"] = position.elapsed_s;
}

StoredPosition position_to_store(const ScalePosition& position, int scales, bool finished,
                                 double elapsed_s) {
  return {finished ? scales : position.scale, finished ? 0 : position.scale_step, elapsed_s};
}

StoredPosition stored_position(const RawModelArchive& archive, const std::string& method) {
  ParamReader state(archive.info.state,
                    archive.info.path + " (stored " + method + " training state)");
  StoredPosition p;
  p.scale = state.get<int>("scale", {0, 1000});
  p.scale_step = state.get<std::int64_t>("scale_step", {0, 1e12});
  p.elapsed_s = state.get<double>("elapsed_s", {0, 1e12});
  return p;
}

RawModelArchive read_resumable_archive(const std::string& path, const std::string& method) {
  RawModelArchive archive = read_raw_model_archive(path, method);
  if (archive.info.finished) {
    throw usage_error(path + ": this " + method + " model is finished; there is nothing to resume");
  }
  return archive;
}

}  // namespace atelier
