#include "methods/oneshot/checkpoint.h"

#include <torch/torch.h>

#include "atelier/error.h"
#include "atelier/preset.h"
#include "core/archive_tensors.h"
#include "core/image_batch.h"

namespace atelier::oneshot {

nlohmann::json state_json(const TrainingState& s) {
  return {{"phase", s.phase},
          {"step", s.step},
          {"elapsed_s", s.elapsed_s},
          {"b_folder", s.b_folder},
          {"base", s.base}};
}

TrainingState stored_state(const ModelInfo& info) {
  ParamReader r(info.state, info.path + " (stored training state)");
  TrainingState s;
  s.phase = r.get<int>("phase", {1, 2});
  s.step = r.get<std::int64_t>("step", {0, 1e12});
  s.elapsed_s = r.get<double>("elapsed_s", {0, 1e12});
  s.b_folder = r.get<std::string>("b_folder");
  s.base = r.get<std::string>("base");
  r.finish();
  return s;
}

TrainingState stored_state(const RawModelArchive& archive) {
  return stored_state(archive.info);
}

OneshotParams stored_params(const RawModelArchive& archive) {
  return OneshotParams::from_json(archive.info.params, archive.info.path + " (stored params)");
}

namespace {

// The weights of the shared latent head alone: a lower bound of what the shared encoder holds.
std::int64_t latent_head_weights(const OneshotParams& p) {
  if (p.network == "photo") {
    const std::int64_t in =
        std::min<std::int64_t>(p.max_channels, std::int64_t{p.channels} << p.downsamplings);
    return in * p.latent_channels;
  }
  const std::int64_t in =
      std::min<std::int64_t>(p.max_channels, std::int64_t{p.channels} << (p.downsamplings - 1));
  return in * p.latent_channels * 9;
}

}  // namespace

void require_stored_networks(const RawModelArchive& archive, const OneshotParams& params) {
  require_stored_numbers(archive, "nets.enc_shared", latent_head_weights(params),
                         "the shared encoder");
}

OneshotNets load_nets(const RawModelArchive& archive, const OneshotParams& params, int phase,
                      const torch::Device& device) {
  require_stored_networks(archive, params);
  OneshotNets nets(params, phase == 2);
  get_module(archive, "nets", *nets);
  nets->to(device);
  nets->eval();
  return nets;
}

void put_a_image(RawModelArchive& archive, const torch::Tensor& image) {
  const torch::Tensor bytes =
      ((image[0].detach().cpu() + 1) * 127.5).round().clamp(0, 255).to(torch::kUInt8);
  put_tensor(archive, "a_image", bytes.contiguous());
}

torch::Tensor get_a_image(const RawModelArchive& archive, int size, const torch::Device& device) {
  const torch::Tensor bytes = get_tensor(archive, "a_image");
  if (bytes.dim() != 3 || bytes.size(0) != 3 || bytes.size(1) != size || bytes.size(2) != size ||
      bytes.scalar_type() != torch::kUInt8) {
    throw bad_input(archive.info.path + ": the stored A image is not a " + std::to_string(size) +
                    "x" + std::to_string(size) + " RGB image");
  }
  return bytes_to_float(bytes.unsqueeze(0), device);
}

}  // namespace atelier::oneshot
