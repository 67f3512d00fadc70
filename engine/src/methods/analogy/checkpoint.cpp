#include "methods/analogy/checkpoint.h"

#include "atelier/error.h"
#include "core/archive_tensors.h"
#include "core/pyramid_state.h"

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
  DomainStack out;
  nn::GeneratorStack& stack = out.stack;
  ParamReader state(archive.info.state, archive.info.path + " (stored training state)");
  stack.sizes = stored_scale_sizes(state, params.max_size);
  stack.amps = state.get<std::vector<double>>(amps_key(domain));
  const int scales = static_cast<int>(stack.sizes.size());
  const int trained = state.get<int>("trained_scales", {1, double(scales)});
  if (static_cast<int>(stack.amps.size()) != trained) broken(archive, "inconsistent scale counts");
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
