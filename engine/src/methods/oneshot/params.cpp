// OneshotParams: preset JSON <-> struct, with the checks that make a bad preset fail early.
#include <string>

#include "atelier/error.h"
#include "atelier/oneshot.h"
#include "core/param_limits.h"

namespace atelier {
namespace {

void read_network(ParamReader& r, OneshotParams& p) {
  p.network = r.get<std::string>("network");
  p.image_size = r.get<int>("image_size", {16, 512});
  p.channels = r.get<int>("channels", {1, 512});
  p.max_channels = r.get<int>("max_channels", {1, 1024});
  p.downsamplings = r.get<int>("downsamplings", {1, 6});
  p.latent_channels = r.get<int>("latent_channels", {1, 1024});
  p.res_blocks = r.get<int>("res_blocks", {0, 16});
  p.own_layers = r.get<int>("own_layers", {1, 8});
  p.leaky_slope = r.get<double>("leaky_slope", Range::right_open(0, 1));
  // Optional: files written before the option existed mean transposed convolutions.
  p.upsampling = r.get_or<std::string>("upsampling", "transposed");
}

void read_training(ParamReader& r, OneshotParams& p) {
  p.base_steps = r.get<int>("base_steps", {1, 100000000});
  p.batch = r.get<int>("batch", {2, 1024});
  p.lr = r.get<double>("lr", Range::left_open(0, 1));
  p.beta1 = r.get<double>("beta1", Range::right_open(0, 1));
  p.beta2 = r.get<double>("beta2", Range::right_open(0, 1));
  p.rec_weight = r.get<double>("rec_weight", {0, kMaxLossWeight});
  p.latent_weight = r.get<double>("latent_weight", {0, kMaxLossWeight});
  p.base_gan_weight = r.get<double>("base_gan_weight", {0, kMaxLossWeight});
  p.flip = r.get<bool>("flip");
  p.translation_steps = r.get<int>("translation_steps", {1, 100000000});
  p.a_batch = r.get<int>("a_batch", {1, 1024});
  p.lr_a = r.get<double>("lr_a", Range::left_open(0, 1));
  p.lr_d = r.get<double>("lr_d", Range::left_open(0, 1));
  p.gan_weight = r.get<double>("gan_weight", {0, kMaxLossWeight});
  p.cycle_weight = r.get<double>("cycle_weight", {0, kMaxLossWeight});
  p.selective = r.get<bool>("selective");
  p.augment = r.get<bool>("augment");
  p.max_rotation = r.get<double>("max_rotation", {0, 45});
  p.max_zoom = r.get<double>("max_zoom", Range::right_open(0, 0.5));
  p.max_shift = r.get<double>("max_shift", {0, 0.25});
  p.augment_flip = r.get<bool>("augment_flip");
  p.disc_channels = r.get<int>("disc_channels", {1, 512});
}

// The layers a network has on each side of the latent besides the latent's own convolutions,
// which are always shared.
int outer_layer_count(const OneshotParams& p) {
  // digits: the stride-2 layers; photo: also the full-size first and last convolution.
  return p.network == "photo" ? p.downsamplings + 1 : p.downsamplings;
}

void validate(const OneshotParams& p, const ParamReader& r) {
  r.require(p.network == "digits" || p.network == "photo", {"network"},
            "network must be \"digits\" or \"photo\"");
  const int grid = p.image_size >> p.downsamplings;
  r.require(grid >= 2 && (grid << p.downsamplings) == p.image_size, {"downsamplings", "image_size"},
            "image_size must be divisible by 2^downsamplings with a latent grid of 2 or more");
  r.require(p.upsampling == "transposed" || p.upsampling == "resize", {"upsampling"},
            "upsampling must be \"transposed\" or \"resize\"");
  r.require(p.max_channels >= p.channels, {"max_channels", "channels"},
            "max_channels must be at least channels");
  r.require(p.own_layers <= outer_layer_count(p), {"own_layers", "downsamplings"},
            "own_layers is more than the network's outer layers on a side (digits: downsamplings; "
            "photo: downsamplings + 1)");
  r.require(p.network == "photo" || p.res_blocks == 0, {"res_blocks", "network"},
            "res_blocks is for the photo network only (0 for digits)");
}

OneshotParams read_all(ParamReader& r) {
  OneshotParams p;
  read_network(r, p);
  read_training(r, p);
  r.finish();
  validate(p, r);
  return p;
}

}  // namespace

OneshotParams OneshotParams::from_json(const nlohmann::json& params, const std::string& source) {
  ParamReader r(params, source);
  return read_all(r);
}

OneshotParams OneshotParams::from_preset(const Preset& preset) {
  if (!preset.method.empty() && preset.method != "oneshot") {
    throw bad_input(preset.path + ": a preset for '" + preset.method + "', not 'oneshot'");
  }
  ParamReader r(preset);
  return read_all(r);
}

nlohmann::json OneshotParams::to_json() const {
  return {
      {"network", network},
      {"image_size", image_size},
      {"channels", channels},
      {"max_channels", max_channels},
      {"downsamplings", downsamplings},
      {"latent_channels", latent_channels},
      {"res_blocks", res_blocks},
      {"own_layers", own_layers},
      {"leaky_slope", leaky_slope},
      {"upsampling", upsampling},
      {"base_steps", base_steps},
      {"batch", batch},
      {"lr", lr},
      {"beta1", beta1},
      {"beta2", beta2},
      {"rec_weight", rec_weight},
      {"latent_weight", latent_weight},
      {"base_gan_weight", base_gan_weight},
      {"flip", flip},
      {"translation_steps", translation_steps},
      {"a_batch", a_batch},
      {"lr_a", lr_a},
      {"lr_d", lr_d},
      {"gan_weight", gan_weight},
      {"cycle_weight", cycle_weight},
      {"selective", selective},
      {"augment", augment},
      {"max_rotation", max_rotation},
      {"max_zoom", max_zoom},
      {"max_shift", max_shift},
      {"augment_flip", augment_flip},
      {"disc_channels", disc_channels},
  };
}

}  // namespace atelier
