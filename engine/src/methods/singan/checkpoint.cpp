#include "methods/singan/checkpoint.h"

#include <string>

#include "atelier/error.h"
#include "core/archive_tensors.h"
#include "core/pyramid_state.h"

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
  GeneratorStack stack;
  ParamReader state(archive.info.state, archive.info.path + " (stored training state)");
  stack.sizes = stored_scale_sizes(state, params.max_size);
  stack.amps = state.get<std::vector<double>>("noise_amps");
  const int trained = state.get<int>("trained_scales", {1, double(stack.sizes.size())});
  if (static_cast<int>(stack.amps.size()) != trained) broken(archive, "inconsistent scale counts");
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
