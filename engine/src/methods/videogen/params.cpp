// VideogenParams: preset JSON <-> struct, with the checks that make a bad preset fail early.
#include <string>

#include "atelier/error.h"
#include "atelier/videogen.h"

namespace atelier {
namespace {

void require(bool ok, const std::string& source, const std::string& what) {
  if (!ok) throw bad_input(source + ": videogen parameter " + what);
}

void validate(const VideogenParams& p, const std::string& source) {
  require(p.min_size >= 4 && p.max_size >= p.min_size, source,
          "min_size must be at least 4 and max_size at least min_size");
  require(p.levels >= 1, source, "levels must be at least 1");
  require(p.min_frames >= 1 && p.frames >= p.min_frames && p.frames >= 2, source,
          "frames must be at least 2 and at least min_frames (itself at least 1)");
  require(p.layers >= 2, source, "layers must be at least 2");
  require(p.channels > 0 && p.latent_channels > 0, source,
          "channels and latent_channels must be positive");
  require(p.vae_levels >= 1 && p.vae_levels <= p.levels, source,
          "vae_levels must lie in 1 .. levels");
  require(p.vae_iterations > 0 && p.iterations > 0 && p.d_steps >= 0 && p.g_steps > 0, source,
          "vae_iterations, iterations and g_steps must be positive, d_steps not negative");
  require(p.lr_g > 0 && p.lr_d > 0, source, "learning rates must be positive");
  require(p.train_depth >= 1, source, "train_depth must be at least 1");
  require(p.lr_decay_at > 0 && p.lr_decay > 0, source, "lr_decay_at and lr_decay must be positive");
  require(p.noise_amp >= 0 && p.gp_weight >= 0 && p.rec_weight >= 0 && p.kl_weight >= 0, source,
          "noise_amp and the loss weights must not be negative");
  require(p.critic_crop >= 0, source, "critic_crop must not be negative");
  require(p.sample_temperature >= 0, source, "sample_temperature must not be negative");
}

}  // namespace

VideogenParams VideogenParams::from_json(const nlohmann::json& params, const std::string& source) {
  ParamReader r(params, source);
  VideogenParams p;
  p.max_size = r.get<int>("max_size");
  p.min_size = r.get<int>("min_size");
  p.levels = r.get<int>("levels");
  p.frames = r.get<int>("frames");
  p.min_frames = r.get<int>("min_frames");
  p.layers = r.get<int>("layers");
  p.channels = r.get<int>("channels");
  p.latent_channels = r.get<int>("latent_channels");
  p.vae_levels = r.get<int>("vae_levels");
  p.batch_norm = r.get<bool>("batch_norm");
  // Optional: presets and model files written before it existed mean its default.
  p.vae_dilated = r.get_or<bool>("vae_dilated", p.vae_dilated);
  p.vae_coordinates = r.get_or<bool>("vae_coordinates", p.vae_coordinates);
  p.replicate_time_padding = r.get_or<bool>("replicate_time_padding", p.replicate_time_padding);
  p.leaky_slope = r.get<double>("leaky_slope");
  p.sample_temperature = r.get_or<double>("sample_temperature", p.sample_temperature);
  p.vae_iterations = r.get<int>("vae_iterations");
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
  p.kl_weight = r.get<double>("kl_weight");
  p.noise_amp = r.get<double>("noise_amp");
  p.train_depth = r.get<int>("train_depth");
  p.lr_scale = r.get<double>("lr_scale");
  p.critic_crop = r.get<int>("critic_crop");
  r.finish();
  validate(p, source);
  return p;
}

VideogenParams VideogenParams::from_preset(const Preset& preset) {
  if (!preset.method.empty() && preset.method != "videogen") {
    throw bad_input(preset.path + ": a preset for '" + preset.method + "', not 'videogen'");
  }
  return from_json(preset.params, preset.path.empty() ? "videogen preset" : preset.path);
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
