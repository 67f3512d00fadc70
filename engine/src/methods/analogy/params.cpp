// AnalogyParams: preset JSON <-> struct, with the checks that make a bad preset fail early.
#include <string>

#include "atelier/analogy.h"
#include "atelier/error.h"
#include "core/adversarial_params.h"
#include "core/param_limits.h"

namespace atelier {
namespace {

// Cross-parameter rules; each parameter's own range is given where it is read.
void validate(const AnalogyParams& p, const ParamReader& r) {
  r.require(p.max_size >= p.min_size, {"max_size", "min_size"},
            "max_size must be at least min_size");
  r.require(p.max_channels >= p.channels, {"max_channels", "channels"},
            "max_channels must be at least channels");
  require_pyramid_scale_count(r, p.min_size, p.max_size, p.scale_factor, p.scales);
}

AnalogyParams read(ParamReader& r) {
  AnalogyParams p;
  p.max_size = r.get<int>("max_size", {8, 2048});
  p.min_size = r.get<int>("min_size", {4, 2048});
  p.scale_factor = r.get<double>("scale_factor", Range::open(0, 1));
  p.scales = r.get<int>("scales", {0, kMaxPyramidScales});
  p.uneven_scales = r.get<bool>("uneven_scales");
  p.layers = r.get<int>("layers", {2, 16});
  p.channels = r.get<int>("channels", {1, 512});
  p.max_channels = r.get<int>("max_channels", {1, 512});
  p.channels_double_every = r.get<int>("channels_double_every", {0, kMaxPyramidScales});
  p.batch_norm = r.get<bool>("batch_norm");
  p.leaky_slope = r.get<double>("leaky_slope", Range::right_open(0, 1));
  p.direct_scales = r.get<int>("direct_scales", {0, kMaxPyramidScales});
  read_adversarial_schedule(r, p);
  p.cycle_weight = r.get<double>("cycle_weight", {0, kMaxLossWeight});
  p.translation_weight = r.get<double>("translation_weight", {0, kMaxLossWeight});
  p.train_depth = r.get<int>("train_depth", {1, kMaxPyramidScales});
  p.lr_scale = r.get<double>("lr_scale", Range::left_open(0, 1));
  p.init_from_previous = r.get<bool>("init_from_previous");
  r.finish();
  validate(p, r);
  return p;
}

}  // namespace

AnalogyParams AnalogyParams::from_json(const nlohmann::json& params, const std::string& source) {
  ParamReader r(params, source);
  return read(r);
}

AnalogyParams AnalogyParams::from_preset(const Preset& preset) {
  if (!preset.method.empty() && preset.method != "analogy") {
    throw bad_input(preset.path + ": a preset for '" + preset.method + "', not 'analogy'");
  }
  ParamReader r(preset);
  return read(r);
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
