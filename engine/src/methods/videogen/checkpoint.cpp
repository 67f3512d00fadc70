#include "methods/videogen/checkpoint.h"

#include <string>

#include "atelier/error.h"
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
  try {
    const double fps = archive.info.state.at("fps").get<double>();
    if (fps > 0) return fps;
  } catch (const nlohmann::json::exception&) {
  }
  broken(archive, "no frame rate");
}

VideoStack get_stack(const RawModelArchive& archive, const VideogenParams& params,
                     const torch::Device& device) {
  const nlohmann::json& state = archive.info.state;
  VideoStack stack;
  int trained = 0;
  try {
    for (const auto& s : state.at("sizes")) {
      stack.sizes.push_back({s.at(0).get<int>(), s.at(1).get<int>(), s.at(2).get<int>()});
    }
    stack.amps = state.at("noise_amps").get<std::vector<double>>();
    trained = state.at("trained_levels").get<int>();
  } catch (const nlohmann::json::exception& e) {
    broken(archive, std::string("bad state (") + e.what() + ")");
  }
  if (stack.sizes.empty() || trained < 1 || trained > static_cast<int>(stack.sizes.size()) ||
      static_cast<int>(stack.amps.size()) != trained) {
    broken(archive, "inconsistent level counts");
  }
  for (const LevelSize& s : stack.sizes) {
    if (s.width <= 0 || s.height <= 0 || s.frames <= 0) broken(archive, "a level has no size");
  }
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
