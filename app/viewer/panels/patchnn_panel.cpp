// patchnn (the instant mode): a picture opened or dropped is sampled by patch nearest neighbours,
// no training and no model file. Seed, sample width (0: the picture's after the preset's limits),
// noise and the preset (the engine's list of patchnn presets).
#include <imgui.h>

#include <algorithm>
#include <vector>

#include "../viewer_panels.h"
#include "atelier/patchnn.h"
#include "atelier/preset.h"
#include "panels.h"

namespace atelier::viewer {
namespace {

struct PatchnnSettings {
  int seed = 1;
  int width = 0;     // 0: the picture's size after the preset's limits
  float noise = -1;  // < 0: the preset's noise_std
};

class PatchnnView : public ModelView {
 public:
  PatchnnView(const std::string& path, Image picture, ComputeOptions compute)
      : compute_(std::move(compute)), presets_(list_presets("patchnn")) {
    if (presets_.empty()) throw bad_input("no patchnn presets in " + models_dir());
    const auto preview = std::find(presets_.begin(), presets_.end(), "preview");
    use_preset(preview != presets_.end() ? static_cast<int>(preview - presets_.begin()) : 0);
    set_source(path, std::move(picture));
    info_.method = "patchnn";
  }

  const ModelInfo& info() const override { return info_; }

  bool draw_controls() override {
    PatchnnSettings& s = settings_;
    ImGui::TextDisabled("instant: samples of the picture's own patches, no model file");
    bool changed = ImGui::InputInt("seed", &s.seed);
    s.seed = std::max(0, s.seed);
    ImGui::SameLine();
    if (ImGui::Button("next seed")) {
      ++s.seed;
      changed = true;
    }
    changed |= ImGui::SliderInt("width", &s.width, 0, 2 * std::max(source_.width, 8),
                                s.width == 0 ? "as the picture" : "%d px");
    float noise = s.noise < 0 ? static_cast<float>(params_.noise_std) : s.noise;
    if (ImGui::SliderFloat("noise", &noise, 0.0f, 3.0f)) {
      s.noise = noise;
      changed = true;
    }
    std::vector<const char*> names;
    for (const std::string& name : presets_) names.push_back(name.c_str());
    int preset = preset_;
    if (ImGui::Combo("preset", &preset, names.data(), static_cast<int>(names.size()))) {
      try {
        use_preset(preset);
        preset_error_.clear();
        changed = true;
      } catch (const std::exception& e) {
        preset_error_ = e.what();
      }
    }
    draw_error(preset_error_);
    ImGui::Text("picture %dx%d (drop a picture to sample it instead)", source_.width,
                source_.height);
    return changed;
  }

  PatchnnSampleOptions options(int seed) const {
    PatchnnSampleOptions options;
    options.seed = static_cast<std::uint64_t>(seed);
    options.width = settings_.width;
    options.noise_std = settings_.noise;
    options.source_name = info_.path;
    return options;
  }

  RenderJob render() const override {
    return [source = source_, params = params_, options = options(settings_.seed),
            compute = compute_] {
      Picture picture = still_picture(patchnn_sample(source, params, options, compute).image);
      picture.inputs = {source};
      return picture;
    };
  }

  bool has_seed() const override { return true; }

  RenderJob seed_walk(int frames, std::shared_ptr<WalkProgress> progress) const override {
    return [source = source_, params = params_, options = options(settings_.seed),
            compute = compute_, frames, progress] {
      Picture picture;
      PatchnnSampleOptions one = options;
      Callbacks callbacks;
      callbacks.should_stop = [progress] { return progress->stop.load(); };
      for (int i = 0; i < frames; ++i) {
        one.seed = options.seed + static_cast<std::uint64_t>(i);
        picture.frames.push_back(patchnn_sample(source, params, one, compute, callbacks).image);
        progress->count();
      }
      return picture;
    };
  }

  void set_control(const std::string& name, const std::string& value) override {
    PatchnnSettings& s = settings_;
    if (name == "seed") {
      s.seed = std::max(0, parse_int(name, value));
    } else if (name == "width") {
      s.width = std::max(0, parse_int(name, value));
    } else if (name == "noise") {
      s.noise = static_cast<float>(parse_double(name, value));
    } else if (name == "preset") {
      const auto found = std::find(presets_.begin(), presets_.end(), value);
      if (found == presets_.end()) {
        std::string known;
        for (const std::string& preset : presets_) known += (known.empty() ? "" : ", ") + preset;
        throw usage_error("control preset: '" + value + "' is not one of " + known);
      }
      use_preset(static_cast<int>(found - presets_.begin()));
    } else if (name == "picture") {
      set_source(value, load_image(value));
    } else {
      throw unknown_control(name, "seed, width, noise, preset, picture");
    }
  }

  bool drop_picture(const std::string& path) override {
    set_source(path, load_image(path));
    return true;
  }

 private:
  // The preset at `index` of presets_; a preset that cannot be read leaves the current one.
  void use_preset(int index) {
    params_ = PatchnnParams::from_preset(load_preset("patchnn", presets_[index]));
    preset_ = index;
    info_.preset = presets_[index];
  }

  void set_source(const std::string& path, Image picture) {
    source_ = std::move(picture);
    info_.path = path;
  }

  ComputeOptions compute_;
  std::vector<std::string> presets_;  // the engine's patchnn presets, tiny first
  int preset_ = 0;
  PatchnnParams params_;
  std::string preset_error_;
  Image source_;
  ModelInfo info_;
  PatchnnSettings settings_;
};

}  // namespace

std::unique_ptr<ModelView> make_patchnn_view(const std::string& path, Image picture,
                                             const ComputeOptions& compute) {
  return std::make_unique<PatchnnView>(path, std::move(picture), compute);
}

}  // namespace atelier::viewer
