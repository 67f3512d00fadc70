// What a model file says about itself: validation without keeping the tensors, and a JSON view.
#include "atelier/model_file.h"

#include "core/model_archive.h"

namespace atelier {

ModelInfo inspect_model(const std::string& path) {
  return read_model_archive_info(path);
}

nlohmann::json to_json(const ModelInfo& info) {
  nlohmann::json tensors = nlohmann::json::array();
  std::uint64_t tensor_bytes = 0;
  for (const TensorRecord& t : info.tensors) {
    tensors.push_back({{"name", t.name}, {"dtype", t.dtype}, {"shape", t.shape}});
    std::uint64_t count = 1;
    for (std::int64_t dim : t.shape) count *= static_cast<std::uint64_t>(dim);
    tensor_bytes += count * dtype_size(t.dtype);
  }
  nlohmann::json thumbnail = nullptr;
  if (!info.thumbnail.empty())
    thumbnail = {{"width", info.thumbnail.width},
                 {"height", info.thumbnail.height},
                 {"channels", info.thumbnail.channels}};
  return {
      {"path", info.path},
      {"format_version", info.format_version},
      {"method", info.method},
      {"preset", info.preset},
      {"params", info.params},
      {"state", info.state},
      {"step", info.step},
      {"seed", info.seed},
      {"created", info.created},
      {"finished", info.finished},
      {"atelier_version", info.atelier_version},
      {"thumbnail", std::move(thumbnail)},
      {"tensors", std::move(tensors)},
      {"tensor_bytes", tensor_bytes},
      {"file_size", info.file_size},
  };
}

}  // namespace atelier
