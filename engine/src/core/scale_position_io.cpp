#include "core/scale_position_io.h"

#include "atelier/error.h"

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
  const nlohmann::json& state = archive.info.state;
  StoredPosition p;
  try {
    p.scale = state.at("scale").get<int>();
    p.scale_step = state.at("scale_step").get<std::int64_t>();
    p.elapsed_s = state.at("elapsed_s").get<double>();
  } catch (const nlohmann::json::exception& e) {
    throw bad_input(archive.info.path + ": not a usable " + method +
                    " model: bad training state (" + e.what() + ")");
  }
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
