// DisentangleParams: preset JSON <-> struct, with the checks that make a bad preset fail early.
#include <string>

#include "atelier/error.h"
#include "core/param_limits.h"
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
  p.image_size = r.get<int>("image_size", {32, 128});
  p.channels = r.get<int>("channels", {1, 512});
  p.max_channels = r.get<int>("max_channels", {1, 1024});
  p.decoder_channels = r.get<int>("decoder_channels", {1, 512});
  p.common_grid = r.get<int>("common_grid", {1, 64});
  p.common_channels = r.get<int>("common_channels", {1, 1024});
  p.separate_grid = r.get<int>("separate_grid", {1, 64});
  p.separate_channels = r.get<int>("separate_channels", {1, 1024});
  p.separate_depth = r.get<int>("separate_depth", {0, 8});
  p.leaky_slope = r.get<double>("leaky_slope", Range::right_open(0, 1));
  p.padain_p = r.get<double>("padain_p", {0, 1});
  p.generator = r.get<std::string>("generator");
  p.erase_attributes = r.get<bool>("erase_attributes");
  // Optional: model files and presets written before these options existed mean their defaults.
  p.separate_colour = r.get_or<bool>("separate_colour", p.separate_colour);
  p.decoder_upsampling = r.get_or<std::string>("decoder_upsampling", p.decoder_upsampling);
  p.guide_full_at = r.get_or<double>("guide_full_at", p.guide_full_at, Range::left_open(0.5, 1));
  p.guide_start_at =
      r.get_or<double>("guide_start_at", p.guide_start_at, Range::right_open(0.5, 1));
  p.guide_area = r.get_or<int>("guide_area", p.guide_area, {1, 7});
  p.guide_reach = r.get_or<int>("guide_reach", p.guide_reach, {0, 2});
  p.layer_fit_weight =
      r.get_or<double>("layer_fit_weight", p.layer_fit_weight, {0, kMaxLossWeight});
  p.guide_solid_from =
      r.get_or<double>("guide_solid_from", p.guide_solid_from, Range::right_open(0, 1));
  p.erase_box_p = r.get<double>("erase_box_p", {0, 1});
  p.steps = r.get<int>("steps", {1, 100000000});
  p.batch = r.get<int>("batch", {2, 1024});
  p.lr = r.get<double>("lr", Range::left_open(0, 1));
  p.lr_d = r.get<double>("lr_d", Range::left_open(0, 1));
  p.beta1 = r.get<double>("beta1", Range::right_open(0, 1));
  p.beta2 = r.get<double>("beta2", Range::right_open(0, 1));
  p.grad_clip = r.get<double>("grad_clip", {0, 1e6});
  p.rec_weight = r.get<double>("rec_weight", {0, kMaxLossWeight});
  p.zero_weight = r.get<double>("zero_weight", {0, kMaxLossWeight});
  p.adv_weight = r.get<double>("adv_weight", {0, kMaxLossWeight});
  p.cycle_weight = r.get<double>("cycle_weight", {0, kMaxLossWeight});
  p.mask_weight = r.get<double>("mask_weight", {0, kMaxLossWeight});
  p.domain_weight = r.get<double>("domain_weight", {0, kMaxLossWeight});
  p.guide_weight = r.get<double>("guide_weight", {0, kMaxLossWeight});
  p.flip = r.get<bool>("flip");
  p.test_fraction = r.get<double>("test_fraction", Range::right_open(0, 0.5));
  p.self_check_steps = r.get_or<int>("self_check_steps", p.self_check_steps, {0, 100000});
}

void validate_params(const DisentangleParams& p, const ParamReader& r) {
  r.require(p.image_size == 32 || p.image_size == 64 || p.image_size == 128, {"image_size"},
            "image_size must be 32, 64 or 128");
  r.require(power_of_two_ratio(p.image_size, p.common_grid), {"common_grid", "image_size"},
            "common_grid must divide image_size by a power of two (2 or more)");
  r.require(power_of_two_ratio(p.image_size, p.separate_grid), {"separate_grid", "image_size"},
            "separate_grid must divide image_size by a power of two (2 or more)");
  r.require(p.max_channels >= p.channels, {"max_channels", "channels"},
            "max_channels must be at least channels");
  r.require(p.generator == "layered" || p.generator == "concat", {"generator"},
            "generator must be \"layered\" or \"concat\"");
  r.require(!p.erase_attributes || p.generator == "layered", {"erase_attributes", "generator"},
            "erase_attributes needs the layered generator");
  r.require(!p.separate_colour || p.separate_channels >= 4,
            {"separate_colour", "separate_channels"},
            "separate_colour needs separate_channels of 4 or more (3 of them are the colour)");
  r.require(p.decoder_upsampling == "transposed" || p.decoder_upsampling == "resize",
            {"decoder_upsampling"}, "decoder_upsampling must be \"transposed\" or \"resize\"");
  r.require(p.guide_area % 2 == 1, {"guide_area"}, "guide_area must be odd");
  r.require(p.guide_start_at < p.guide_full_at, {"guide_start_at", "guide_full_at"},
            "guide_start_at must be below guide_full_at");
  r.require(p.guide_weight == 0 || (p.generator == "layered" && p.domain_weight > 0),
            {"guide_weight", "generator", "domain_weight"},
            "guide_weight needs the layered generator and the domain critic (domain_weight > 0)");
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
      {"separate_colour", p.separate_colour},
      {"leaky_slope", p.leaky_slope},
      {"padain_p", p.padain_p},
      {"generator", p.generator},
      {"erase_attributes", p.erase_attributes},
      {"decoder_upsampling", p.decoder_upsampling},
      {"guide_start_at", p.guide_start_at},
      {"guide_full_at", p.guide_full_at},
      {"guide_area", p.guide_area},
      {"guide_reach", p.guide_reach},
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

namespace {

DisentangleParams read_all(ParamReader& r) {
  DisentangleParams p;
  read_params(r, p);
  r.finish();
  validate_params(p, r);
  return p;
}

}  // namespace
}  // namespace disentangle

DisentangleParams DisentangleParams::from_json(const nlohmann::json& params,
                                               const std::string& source) {
  ParamReader r(params, source);
  return disentangle::read_all(r);
}

DisentangleParams DisentangleParams::from_preset(const Preset& preset) {
  if (!preset.method.empty() && preset.method != "disentangle") {
    throw bad_input(preset.path + ": a preset for '" + preset.method + "', not 'disentangle'");
  }
  ParamReader r(preset);
  return disentangle::read_all(r);
}

nlohmann::json DisentangleParams::to_json() const {
  return disentangle::params_json(*this);
}

}  // namespace atelier
