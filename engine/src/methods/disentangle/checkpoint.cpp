#include "methods/disentangle/checkpoint.h"

#include <torch/torch.h>

#include "atelier/error.h"
#include "core/archive_tensors.h"

namespace atelier::disentangle {

nlohmann::json position_json(const Position& position, int image_size) {
  return {{"step", position.step}, {"elapsed_s", position.elapsed_s}, {"image_size", image_size}};
}

Position stored_position(const RawModelArchive& archive) {
  Position p;
  try {
    p.step = archive.info.state.at("step").get<std::int64_t>();
    p.elapsed_s = archive.info.state.at("elapsed_s").get<double>();
  } catch (const nlohmann::json::exception& e) {
    throw bad_input(archive.info.path + ": bad training state (" + e.what() + ")");
  }
  if (p.step < 0) throw bad_input(archive.info.path + ": bad training state (negative step)");
  return p;
}

TransferNets load_nets(const RawModelArchive& archive, const DisentangleParams& params,
                       const torch::Device& device) {
  TransferNets nets(params);
  get_module(archive, "nets", *nets);
  nets->to(device);
  nets->eval();
  return nets;
}

}  // namespace atelier::disentangle
