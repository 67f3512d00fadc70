#include "methods/singan/checkpoint.h"

#include <string>

#include "atelier/error.h"
#include "core/archive_tensors.h"

namespace atelier::singan {
namespace {

[[noreturn]] void broken(const RawModelArchive& archive, const std::string& problem) {
  throw bad_input(archive.info.path + ": not a usable singan model: " + problem);
}

}  // namespace

void put_stack(RawModelArchive& archive, const GeneratorStack& stack,
               const std::vector<torch::Tensor>& reals, const Position& position) {
  nlohmann::json sizes = nlohmann::json::array();
  for (const ScaleSize& s : stack.sizes) sizes.push_back({s.width, s.height});
  archive.info.state = {
      {"sizes", sizes},
      {"noise_amps", stack.amps},
      {"trained_scales", stack.trained()},
  };
  put_position(archive.info.state, position);
  nn::put_generators(archive, "", stack);
  for (std::size_t k = 0; k < reals.size(); ++k) {
    put_tensor(archive, "real." + std::to_string(k), reals[k]);
  }
}

SinganParams stored_params(const RawModelArchive& archive) {
  return SinganParams::from_json(archive.info.params, archive.info.path + " (stored params)");
}

GeneratorStack get_stack(const RawModelArchive& archive, const SinganParams& params,
                         const torch::Device& device) {
  const nlohmann::json& state = archive.info.state;
  GeneratorStack stack;
  int trained = 0;
  try {
    for (const auto& s : state.at("sizes")) {
      stack.sizes.push_back({s.at(0).get<int>(), s.at(1).get<int>()});
    }
    stack.amps = state.at("noise_amps").get<std::vector<double>>();
    trained = state.at("trained_scales").get<int>();
  } catch (const nlohmann::json::exception& e) {
    broken(archive, std::string("bad state (") + e.what() + ")");
  }
  if (stack.sizes.empty() || trained < 1 || trained > static_cast<int>(stack.sizes.size()) ||
      static_cast<int>(stack.amps.size()) != trained) {
    broken(archive, "inconsistent scale counts");
  }
  for (const ScaleSize& s : stack.sizes) {
    if (s.width <= 0 || s.height <= 0) broken(archive, "a scale has an empty size");
  }
  nn::get_generators(
      archive, "", trained, [&](int k) { return generator_options(params, k); }, device, stack);
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

}  // namespace atelier::singan
