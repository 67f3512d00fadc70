// VideogenParams: preset JSON <-> struct, with the checks that make a bad preset fail early.
#include <string>

#include "atelier/error.h"
#include "atelier/videogen.h"
#include "core/adversarial_params.h"
#include "core/param_limits.h"

namespace atelier {
namespace {

constexpr int kMaxLevels = 16;

// Cross-parameter rules; each parameter's own range is given where it is read.
void validate(const VideogenParams& p, const ParamReader& r) {
  r.require(p.max_size >= p.min_size, {"max_size", "min_size"},
            "max_size must be at least min_size");
  r.require(p.frames >= p.min_frames, {"frames", "min_frames"},
            "frames must be at least min_frames");
  r.require(p.vae_levels <= p.levels, {"vae_levels", "levels"},
            "vae_levels must lie in 1 .. levels");
}

VideogenParams read(ParamReader& r) {
  VideogenParams p;
  p.max_size = r.get<int>("max_size", {8, 1024});
  p.min_size = r.get<int>("min_size", {4, 1024});
  p.levels = r.get<int>("levels", {1, kMaxLevels});
  p.frames = r.get<int>("frames", {2, 256});
  p.min_frames = r.get<int>("min_frames", {1, 256});
  p.layers = r.get<int>("layers", {2, 16});
  p.channels = r.get<int>("channels", {1, 256});
  p.latent_channels = r.get<int>("latent_channels", {1, 512});
  p.vae_levels = r.get<int>("vae_levels", {1, kMaxLevels});
  p.batch_norm = r.get<bool>("batch_norm");
  // Optional: presets and model files written before it existed mean its default.
  p.vae_dilated = r.get_or<bool>("vae_dilated", p.vae_dilated);
  p.vae_coordinates = r.get_or<bool>("vae_coordinates", p.vae_coordinates);
  p.replicate_time_padding = r.get_or<bool>("replicate_time_padding", p.replicate_time_padding);
  p.leaky_slope = r.get<double>("leaky_slope", Range::right_open(0, 1));
  p.sample_temperature =
      r.get_or<double>("sample_temperature", p.sample_temperature, Range::closed(0, 10));
  p.sample_layout = r.get_or<double>("sample_layout", p.sample_layout, Range::closed(0, 1));
  p.vae_iterations = r.get<int>("vae_iterations", {1, 1000000});
  read_adversarial_schedule(r, p);
  p.kl_weight = r.get<double>("kl_weight", {0, kMaxLossWeight});
  p.train_depth = r.get<int>("train_depth", {1, kMaxLevels});
  p.lr_scale = r.get<double>("lr_scale", Range::left_open(0, 1));
  p.critic_crop = r.get<int>("critic_crop", {0, 1024});
  r.finish();
  validate(p, r);
  return p;
}

}  // namespace

VideogenParams VideogenParams::from_json(const nlohmann::json& params, const std::string& source) {
  ParamReader r(params, source);
  return read(r);
}

VideogenParams VideogenParams::from_preset(const Preset& preset) {
  if (!preset.method.empty() && preset.method != "videogen") {
    throw bad_input(preset.path + ": a preset for '" + preset.method + "', not 'videogen'");
  }
  ParamReader r(preset);
  return read(r);
}

nlohmann::json VideogenParams::to_json() const {
  return {
      {"max_size", max_size},
      {"min_size", min_size},
      {"levels", levels},
      {"frames", frames},
      {"min_frames", min_frames},
      {"layers", layers},
      {"channels", channels},
      {"latent_channels", latent_channels},
      {"vae_levels", vae_levels},
      {"batch_norm", batch_norm},
      {"vae_dilated", vae_dilated},
      {"vae_coordinates", vae_coordinates},
      {"replicate_time_padding", replicate_time_padding},
      {"leaky_slope", leaky_slope},
      {"sample_temperature", sample_temperature},
      {"sample_layout", sample_layout},
      {"vae_iterations", vae_iterations},
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
      {"kl_weight", kl_weight},
      {"noise_amp", noise_amp},
      {"train_depth", train_depth},
      {"lr_scale", lr_scale},
      {"critic_crop", critic_crop},
  };
}

}  // namespace atelier
