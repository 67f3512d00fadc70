// DisentangleParams: preset JSON <-> struct, with the checks that make a bad preset fail early.
#include <string>

#include "atelier/error.h"
#include "methods/disentangle/params_io.h"

namespace atelier {
namespace disentangle {
namespace {

bool power_of_two_ratio(int size, int grid) {
  if (grid <= 0 || size % grid != 0) return false;
  const int ratio = size / grid;
  return ratio >= 2 && (ratio & (ratio - 1)) == 0;
}

}  // namespace

void read_params(ParamReader& r, DisentangleParams& p) {
  p.image_size = r.get<int>("image_size");
  p.channels = r.get<int>("channels");
  p.max_channels = r.get<int>("max_channels");
  p.decoder_channels = r.get<int>("decoder_channels");
  p.common_grid = r.get<int>("common_grid");
  p.common_channels = r.get<int>("common_channels");
  p.separate_grid = r.get<int>("separate_grid");
  p.separate_channels = r.get<int>("separate_channels");
  p.separate_depth = r.get<int>("separate_depth");
  p.leaky_slope = r.get<double>("leaky_slope");
  p.padain_p = r.get<double>("padain_p");
  p.generator = r.get<std::string>("generator");
  p.erase_attributes = r.get<bool>("erase_attributes");
  // Optional: model files and presets written before these options existed mean their defaults.
  p.decoder_upsampling = r.get_or<std::string>("decoder_upsampling", p.decoder_upsampling);
  p.guide_full_at = r.get_or<double>("guide_full_at", p.guide_full_at);
  p.guide_area = r.get_or<int>("guide_area", p.guide_area);
  p.layer_fit_weight = r.get_or<double>("layer_fit_weight", p.layer_fit_weight);
  p.guide_solid_from = r.get_or<double>("guide_solid_from", p.guide_solid_from);
  p.erase_box_p = r.get<double>("erase_box_p");
  p.steps = r.get<int>("steps");
  p.batch = r.get<int>("batch");
  p.lr = r.get<double>("lr");
  p.lr_d = r.get<double>("lr_d");
  p.beta1 = r.get<double>("beta1");
  p.beta2 = r.get<double>("beta2");
  p.grad_clip = r.get<double>("grad_clip");
  p.rec_weight = r.get<double>("rec_weight");
  p.zero_weight = r.get<double>("zero_weight");
  p.adv_weight = r.get<double>("adv_weight");
  p.cycle_weight = r.get<double>("cycle_weight");
  p.mask_weight = r.get<double>("mask_weight");
  p.domain_weight = r.get<double>("domain_weight");
  p.guide_weight = r.get<double>("guide_weight");
  p.flip = r.get<bool>("flip");
  p.test_fraction = r.get<double>("test_fraction");
  p.self_check_steps = r.get_or<int>("self_check_steps", p.self_check_steps);
}

void validate_params(const DisentangleParams& p, const std::string& source,
                     const std::string& method) {
  auto require = [&](bool ok, const std::string& what) {
    if (!ok) throw bad_input(source + ": " + method + " parameter " + what);
  };
  require(p.image_size == 32 || p.image_size == 64 || p.image_size == 128,
          "image_size must be 32, 64 or 128");
  require(power_of_two_ratio(p.image_size, p.common_grid),
          "common_grid must divide image_size by a power of two (2 or more)");
  require(power_of_two_ratio(p.image_size, p.separate_grid),
          "separate_grid must divide image_size by a power of two (2 or more)");
  require(p.channels > 0 && p.max_channels >= p.channels && p.decoder_channels > 0,
          "channels and decoder_channels must be positive, max_channels at least channels");
  require(p.common_channels > 0 && p.separate_channels > 0, "code channels must be positive");
  require(p.separate_depth >= 0 && p.separate_depth <= 8, "separate_depth must lie in [0, 8]");
  require(p.leaky_slope >= 0 && p.leaky_slope < 1, "leaky_slope must lie in [0, 1)");
  require(p.padain_p >= 0 && p.padain_p <= 1, "padain_p must lie in [0, 1]");
  require(p.generator == "layered" || p.generator == "concat",
          "generator must be \"layered\" or \"concat\"");
  require(!p.erase_attributes || p.generator == "layered",
          "erase_attributes needs the layered generator");
  require(p.decoder_upsampling == "transposed" || p.decoder_upsampling == "resize",
          "decoder_upsampling must be \"transposed\" or \"resize\"");
  require(p.guide_area >= 1 && p.guide_area <= 7 && p.guide_area % 2 == 1,
          "guide_area must be odd and lie in [1, 7]");
  require(p.guide_full_at > 0.5 && p.guide_full_at <= 1, "guide_full_at must lie in (0.5, 1]");
  require(p.guide_solid_from >= 0 && p.guide_solid_from < 1, "guide_solid_from must lie in [0, 1)");
  require(p.erase_box_p >= 0 && p.erase_box_p <= 1, "erase_box_p must lie in [0, 1]");
  require(p.steps > 0 && p.batch >= 2, "steps must be positive and batch at least 2");
  require(p.lr > 0 && p.lr_d > 0, "learning rates must be positive");
  require(p.beta1 >= 0 && p.beta1 < 1 && p.beta2 >= 0 && p.beta2 < 1, "betas must lie in [0, 1)");
  require(p.grad_clip >= 0, "grad_clip must not be negative");
  require(p.rec_weight >= 0 && p.zero_weight >= 0 && p.adv_weight >= 0 && p.cycle_weight >= 0 &&
              p.mask_weight >= 0 && p.domain_weight >= 0 && p.guide_weight >= 0 &&
              p.layer_fit_weight >= 0,
          "loss weights must not be negative");
  require(p.guide_weight == 0 || (p.generator == "layered" && p.domain_weight > 0),
          "guide_weight needs the layered generator and the domain critic (domain_weight > 0)");
  require(p.test_fraction >= 0 && p.test_fraction < 0.5, "test_fraction must lie in [0, 0.5)");
  require(p.self_check_steps >= 0 && p.self_check_steps <= 100000,
          "self_check_steps must lie in [0, 100000]");
}

nlohmann::json params_json(const DisentangleParams& p) {
  return {
      {"image_size", p.image_size},
      {"channels", p.channels},
      {"max_channels", p.max_channels},
      {"decoder_channels", p.decoder_channels},
      {"common_grid", p.common_grid},
      {"common_channels", p.common_channels},
      {"separate_grid", p.separate_grid},
      {"separate_channels", p.separate_channels},
      {"separate_depth", p.separate_depth},
      {"leaky_slope", p.leaky_slope},
      {"padain_p", p.padain_p},
      {"generator", p.generator},
      {"erase_attributes", p.erase_attributes},
      {"decoder_upsampling", p.decoder_upsampling},
      {"guide_full_at", p.guide_full_at},
      {"guide_area", p.guide_area},
      {"layer_fit_weight", p.layer_fit_weight},
      {"guide_solid_from", p.guide_solid_from},
      {"erase_box_p", p.erase_box_p},
      {"steps", p.steps},
      {"batch", p.batch},
      {"lr", p.lr},
      {"lr_d", p.lr_d},
      {"beta1", p.beta1},
      {"beta2", p.beta2},
      {"grad_clip", p.grad_clip},
      {"rec_weight", p.rec_weight},
      {"zero_weight", p.zero_weight},
      {"adv_weight", p.adv_weight},
      {"cycle_weight", p.cycle_weight},
      {"mask_weight", p.mask_weight},
      {"domain_weight", p.domain_weight},
      {"guide_weight", p.guide_weight},
      {"flip", p.flip},
      {"test_fraction", p.test_fraction},
      {"self_check_steps", p.self_check_steps},
  };
}

}  // namespace disentangle

DisentangleParams DisentangleParams::from_json(const nlohmann::json& params,
                                               const std::string& source) {
  ParamReader r(params, source);
  DisentangleParams p;
  disentangle::read_params(r, p);
  r.finish();
  disentangle::validate_params(p, source, "disentangle");
  return p;
}

DisentangleParams DisentangleParams::from_preset(const Preset& preset) {
  if (!preset.method.empty() && preset.method != "disentangle") {
    throw bad_input(preset.path + ": a preset for '" + preset.method + "', not 'disentangle'");
  }
  return from_json(preset.params, preset.path.empty() ? "disentangle preset" : preset.path);
}

nlohmann::json DisentangleParams::to_json() const {
  return disentangle::params_json(*this);
}

}  // namespace atelier
