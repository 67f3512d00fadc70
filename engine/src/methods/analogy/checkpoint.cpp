#include "methods/analogy/checkpoint.h"

#include "atelier/error.h"
#include "core/archive_tensors.h"

namespace atelier::analogy {
namespace {

[[noreturn]] void broken(const RawModelArchive& archive, const std::string& problem) {
  throw bad_input(archive.info.path + ": not a usable analogy model: " + problem);
}

const char* amps_key(Domain domain) {
  return domain == Domain::A ? "noise_amps_a" : "noise_amps_b";
}

}  // namespace

const char* prefix(Domain domain) {
  return domain == Domain::A ? "a." : "b.";
}

void put_domains(RawModelArchive& archive, const DomainStack& a, const DomainStack& b,
                 const Position& position) {
  nlohmann::json sizes = nlohmann::json::array();
  for (const ScaleSize& s : a.stack.sizes) sizes.push_back({s.width, s.height});
  archive.info.state = {
      {"sizes", sizes},
      {amps_key(Domain::A), a.stack.amps},
      {amps_key(Domain::B), b.stack.amps},
      {"trained_scales", a.stack.trained()},
  };
  put_position(archive.info.state, position);
  for (const Domain d : {Domain::A, Domain::B}) {
    const DomainStack& domain = d == Domain::A ? a : b;
    nn::put_generators(archive, prefix(d), domain.stack);
    for (std::size_t k = 0; k < domain.reals.size(); ++k) {
      put_tensor(archive, prefix(d) + std::string("real.") + std::to_string(k), domain.reals[k]);
    }
  }
}

AnalogyParams stored_params(const RawModelArchive& archive) {
  return AnalogyParams::from_json(archive.info.params, archive.info.path + " (stored params)");
}

std::pair<int, int> stored_default_inject(const RawModelArchive& archive, int trained) {
  const nlohmann::json& state = archive.info.state;
  if (!state.contains("default_inject")) return {0, 0};
  int ab = -1, ba = -1;
  try {
    ab = state.at("default_inject").at("ab").get<int>();
    ba = state.at("default_inject").at("ba").get<int>();
  } catch (const nlohmann::json::exception&) {
    broken(archive, "its default injection levels are not two whole numbers");
  }
  if (ab < 0 || ab >= trained || ba < 0 || ba >= trained)
    broken(archive,
           "a default injection level lies outside its " + std::to_string(trained) + " scales");
  return {ab, ba};
}

DomainStack get_domain(const RawModelArchive& archive, Domain domain, const AnalogyParams& params,
                       const torch::Device& device, bool reals) {
  const nlohmann::json& state = archive.info.state;
  DomainStack out;
  nn::GeneratorStack& stack = out.stack;
  int trained = 0;
  try {
    for (const auto& s : state.at("sizes")) {
      stack.sizes.push_back({s.at(0).get<int>(), s.at(1).get<int>()});
    }
    stack.amps = state.at(amps_key(domain)).get<std::vector<double>>();
    trained = state.at("trained_scales").get<int>();
  } catch (const nlohmann::json::exception& e) {
    broken(archive, std::string("bad state (") + e.what() + ")");
  }
  const int scales = static_cast<int>(stack.sizes.size());
  if (scales == 0 || trained < 1 || trained > scales ||
      static_cast<int>(stack.amps.size()) != trained) {
    broken(archive, "inconsistent scale counts");
  }
  for (const ScaleSize& s : stack.sizes) {
    if (s.width <= 0 || s.height <= 0) broken(archive, "a scale has an empty size");
  }
  nn::get_generators(
      archive, prefix(domain), trained, [&](int k) { return generator_options(params, k, scales); },
      device, stack);
  if (reals) {
    for (int k = 0; k < scales; ++k) {
      out.reals.push_back(
          get_tensor(archive, prefix(domain) + std::string("real.") + std::to_string(k), device));
    }
  }
  return out;
}

}  // namespace atelier::analogy
