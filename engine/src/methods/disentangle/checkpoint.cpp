#include "methods/disentangle/checkpoint.h"

#include <torch/torch.h>

#include "atelier/error.h"
#include "atelier/preset.h"
#include "core/archive_tensors.h"

namespace atelier::disentangle {

nlohmann::json position_json(const Position& position, int image_size) {
  return {{"step", position.step}, {"elapsed_s", position.elapsed_s}, {"image_size", image_size}};
}

Position stored_position(const RawModelArchive& archive) {
  ParamReader state(archive.info.state, archive.info.path + " (stored training state)");
  Position p;
  p.step = state.get<std::int64_t>("step", {0, 1e12});
  p.elapsed_s = state.get<double>("elapsed_s", {0, 1e12});
  return p;
}

void require_stored_networks(const RawModelArchive& archive, const std::string& prefix,
                             const DisentangleParams& params) {
  // The common encoder's stride-2 4x4 convolutions: widths double from `channels` up to
  // `max_channels`, one layer per halving from image_size to common_grid.
  std::int64_t weights = 0;
  std::int64_t in = 3;
  for (int size = params.image_size, i = 0; size > params.common_grid && size > 1; size /= 2, ++i) {
    const std::int64_t width = std::min<std::int64_t>(
        params.max_channels, std::int64_t{params.channels} << std::min(i, 30));
    weights += in * width * 16;
    in = width;
  }
  require_stored_numbers(archive, prefix + ".ec", weights, "the common encoder");
}

TransferNets load_nets(const RawModelArchive& archive, const DisentangleParams& params,
                       const torch::Device& device) {
  require_stored_networks(archive, "nets", params);
  TransferNets nets(params);
  get_module(archive, "nets", *nets);
  nets->to(device);
  nets->eval();
  return nets;
}

}  // namespace atelier::disentangle
