#include "methods/videogen/checkpoint.h"

#include <string>

#include "atelier/error.h"
#include "atelier/preset.h"
#include "core/archive_tensors.h"

namespace atelier::videogen {
namespace {

[[noreturn]] void broken(const RawModelArchive& archive, const std::string& problem) {
  throw bad_input(archive.info.path + ": not a usable videogen model: " + problem);
}

}  // namespace

void put_stack(RawModelArchive& archive, const VideoStack& stack,
               const std::vector<torch::Tensor>& reals, double fps, const Position& position) {
  nlohmann::json sizes = nlohmann::json::array();
  for (const LevelSize& s : stack.sizes) sizes.push_back({s.width, s.height, s.frames});
  archive.info.state = {
      {"sizes", sizes},
      {"noise_amps", stack.amps},
      {"trained_levels", stack.trained()},
      {"fps", fps},
  };
  put_position(archive.info.state, position);
  put_module(archive, "enc", *stack.encoder);
  put_module(archive, "dec", *stack.decoder);
  for (std::size_t i = 0; i < stack.refiners.size(); ++i) {
    put_module(archive, "g." + std::to_string(i + 1), *stack.refiners[i]);
  }
  for (std::size_t k = 0; k < reals.size(); ++k) {
    put_tensor(archive, "real." + std::to_string(k), reals[k]);
  }
}

VideogenParams stored_params(const RawModelArchive& archive) {
  return VideogenParams::from_json(archive.info.params, archive.info.path + " (stored params)");
}

double stored_fps(const RawModelArchive& archive) {
  ParamReader state(archive.info.state, archive.info.path + " (stored training state)");
  return state.get<double>("fps", Range::left_open(0, 1000));
}

VideoStack get_stack(const RawModelArchive& archive, const VideogenParams& params,
                     const torch::Device& device) {
  VideoStack stack;
  ParamReader state(archive.info.state, archive.info.path + " (stored training state)");
  const auto sizes = state.get<std::vector<std::vector<int>>>("sizes");
  if (sizes.empty() || static_cast<int>(sizes.size()) > params.levels)
    broken(archive, "it stores " + std::to_string(sizes.size()) + " levels for its " +
                        std::to_string(params.levels));
  for (const auto& s : sizes) {
    // The clip was fitted into max_size and cut to `frames` before training.
    if (s.size() != 3 || s[0] < 1 || s[1] < 1 || s[2] < 1 || s[0] > params.max_size ||
        s[1] > params.max_size || s[2] > params.frames)
      broken(archive, "a stored level size lies outside max_size " +
                          std::to_string(params.max_size) + " and frames " +
                          std::to_string(params.frames));
    stack.sizes.push_back({s[0], s[1], s[2]});
  }
  stack.amps = state.get<std::vector<double>>("noise_amps");
  const int trained = state.get<int>("trained_levels", {1, double(sizes.size())});
  if (static_cast<int>(stack.amps.size()) != trained) broken(archive, "inconsistent level counts");
  // Each network's body is layers - 2 blocks of channels x channels x 3 x 3 x 3 weights.
  const std::int64_t body =
      std::int64_t{params.layers - 2} * params.channels * params.channels * 27;
  require_stored_numbers(archive, "enc", body, "the encoder");
  require_stored_numbers(archive, "dec", body, "the decoder");
  for (int k = 1; k < trained; ++k)
    require_stored_numbers(archive, "g." + std::to_string(k), body,
                           "the generator of level " + std::to_string(k));
  stack.latent_channels = params.latent_channels;
  stack.encoder = VaeEncoder(encoder_options(params));
  stack.decoder = VaeDecoder(decoder_options(params));
  get_module(archive, "enc", *stack.encoder);
  get_module(archive, "dec", *stack.decoder);
  for (int k = 1; k < trained; ++k) {
    LevelGenerator refiner(generator_options(params));
    get_module(archive, "g." + std::to_string(k), *refiner);
    stack.refiners.push_back(refiner);
  }
  stack.encoder->to(device);
  stack.decoder->to(device);
  for (auto& r : stack.refiners) r->to(device);
  stack.freeze(true, 1, trained - 1);
  return stack;
}

std::vector<torch::Tensor> get_reals(const RawModelArchive& archive, int count,
                                     const torch::Device& device) {
  std::vector<torch::Tensor> reals;
  for (int k = 0; k < count; ++k) {
    reals.push_back(get_tensor(archive, "real." + std::to_string(k), device));
  }
  return reals;
}

}  // namespace atelier::videogen
