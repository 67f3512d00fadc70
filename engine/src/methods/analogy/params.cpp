// AnalogyParams: preset JSON <-> struct, with the checks that make a bad preset fail early.
#include <string>

#include "atelier/analogy.h"
#include "atelier/error.h"

namespace atelier {
namespace {

void require(bool ok, const std::string& source, const std::string& what) {
  if (!ok) throw bad_input(source + ": analogy parameter " + what);
}

void validate(const AnalogyParams& p, const std::string& source) {
  require(p.max_size >= p.min_size, source, "max_size must be at least min_size");
  require(p.min_size >= 4, source, "min_size must be at least 4");
  require(p.scales > 0 || (p.scale_factor > 0 && p.scale_factor < 1), source,
          "scale_factor must lie in (0, 1) when scales is 0");
  require(p.scales >= 0, source, "scales must not be negative");
  require(p.layers >= 2, source, "layers must be at least 2");
  require(p.channels > 0 && p.max_channels >= p.channels, source,
          "channels must be positive and max_channels at least channels");
  require(p.direct_scales >= 0, source, "direct_scales must not be negative");
  require(p.iterations > 0 && p.d_steps >= 0 && p.g_steps > 0, source,
          "iterations and g_steps must be positive, d_steps not negative");
  require(p.lr_g > 0 && p.lr_d > 0, source, "learning rates must be positive");
  require(p.train_depth >= 1, source, "train_depth must be at least 1");
  require(p.lr_decay_at > 0 && p.lr_decay > 0, source, "lr_decay_at and lr_decay must be positive");
  require(p.noise_amp >= 0 && p.gp_weight >= 0 && p.rec_weight >= 0 && p.cycle_weight >= 0 &&
              p.translation_weight >= 0,
          source, "noise_amp and the loss weights must not be negative");
}

}  // namespace

AnalogyParams AnalogyParams::from_json(const nlohmann::json& params, const std::string& source) {
  ParamReader r(params, source);
  AnalogyParams p;
  p.max_size = r.get<int>("max_size");
  p.min_size = r.get<int>("min_size");
  p.scale_factor = r.get<double>("scale_factor");
  p.scales = r.get<int>("scales");
  p.uneven_scales = r.get<bool>("uneven_scales");
  p.layers = r.get<int>("layers");
  p.channels = r.get<int>("channels");
  p.max_channels = r.get<int>("max_channels");
  p.channels_double_every = r.get<int>("channels_double_every");
  p.batch_norm = r.get<bool>("batch_norm");
  p.leaky_slope = r.get<double>("leaky_slope");
  p.direct_scales = r.get<int>("direct_scales");
  p.iterations = r.get<int>("iterations");
  p.d_steps = r.get<int>("d_steps");
  p.g_steps = r.get<int>("g_steps");
  p.lr_g = r.get<double>("lr_g");
  p.lr_d = r.get<double>("lr_d");
  p.beta1 = r.get<double>("beta1");
  p.beta2 = r.get<double>("beta2");
  p.lr_decay_at = r.get<double>("lr_decay_at");
  p.lr_decay = r.get<double>("lr_decay");
  p.gp_weight = r.get<double>("gp_weight");
  p.rec_weight = r.get<double>("rec_weight");
  p.cycle_weight = r.get<double>("cycle_weight");
  p.translation_weight = r.get<double>("translation_weight");
  p.noise_amp = r.get<double>("noise_amp");
  p.train_depth = r.get<int>("train_depth");
  p.lr_scale = r.get<double>("lr_scale");
  p.init_from_previous = r.get<bool>("init_from_previous");
  r.finish();
  validate(p, source);
  return p;
}

AnalogyParams AnalogyParams::from_preset(const Preset& preset) {
  if (!preset.method.empty() && preset.method != "analogy") {
    throw bad_input(preset.path + ": a preset for '" + preset.method + "', not 'analogy'");
  }
  return from_json(preset.params, preset.path.empty() ? "analogy preset" : preset.path);
}

nlohmann::json AnalogyParams::to_json() const {
  return {
      {"max_size", max_size},
      {"min_size", min_size},
      {"scale_factor", scale_factor},
      {"scales", scales},
      {"uneven_scales", uneven_scales},
      {"layers", layers},
      {"channels", channels},
      {"max_channels", max_channels},
      {"channels_double_every", channels_double_every},
      {"batch_norm", batch_norm},
      {"leaky_slope", leaky_slope},
      {"direct_scales", direct_scales},
      {"iterations", iterations},
      {"d_steps", d_steps},
      {"g_steps", g_steps},
      {"lr_g", lr_g},
      {"lr_d", lr_d},
      {"beta1", beta1},
      {"beta2", beta2},
      {"lr_decay_at", lr_decay_at},
      {"lr_decay", lr_decay},
      {"gp_weight", gp_weight},
      {"rec_weight", rec_weight},
      {"cycle_weight", cycle_weight},
      {"translation_weight", translation_weight},
      {"noise_amp", noise_amp},
      {"train_depth", train_depth},
      {"lr_scale", lr_scale},
      {"init_from_previous", init_from_previous},
  };
}

}  // namespace atelier
