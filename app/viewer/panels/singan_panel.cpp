// singan: a seed pair and the interpolation between them, the start scale, the noise of each
// scale, the output size.
#include <imgui.h>

#include <algorithm>
#include <string>
#include <vector>

#include "atelier/singan.h"
#include "panels.h"

namespace atelier::viewer {
namespace {

struct SinganSettings {
  int seed_a = 0;
  int seed_b = 1;
  float t = 0;  // interpolation from seed A (0) to seed B (1)
  int start_scale = 0;
  int width = 0;  // 0: the training size
  int height = 0;
  std::vector<double> noise_gain;  // per scale, on the trained noise amplitude
};

SinganSampleOptions sample_options(const SinganSettings& s) {
  SinganSampleOptions options;
  options.start_scale = s.start_scale;
  options.width = s.width;
  options.height = s.height;
  options.noise_gain = s.noise_gain;
  return options;
}

class SinganView : public ModelView {
 public:
  explicit SinganView(SinganModel model) : model_(std::move(model)) {
    settings_.noise_gain.assign(model_.scales().size(), 1.0);
  }

  const ModelInfo& info() const override { return model_.info(); }

  bool draw_controls() override {
    SinganSettings& s = settings_;
    bool changed = ImGui::InputInt("seed A", &s.seed_a) | ImGui::InputInt("seed B", &s.seed_b);
    s.seed_a = std::max(0, s.seed_a);
    s.seed_b = std::max(0, s.seed_b);
    changed |= ImGui::SliderFloat("A -> B", &s.t, 0.0f, 1.0f);
    const int scales = static_cast<int>(model_.scales().size());
    changed |= ImGui::SliderInt("start scale", &s.start_scale, 0, std::max(0, scales - 1));
    const int train_width = model_.width(), train_height = model_.height();
    int width = s.width > 0 ? s.width : train_width;
    int height = s.height > 0 ? s.height : train_height;
    if (ImGui::SliderInt("width", &width, train_width / 2, train_width * 2) |
        ImGui::SliderInt("height", &height, train_height / 2, train_height * 2)) {
      s.width = width;
      s.height = height;
      changed = true;
    }
    // The noise of each scale from the start scale on: 0 adds no new detail there, 1 is what
    // the model learned, more exaggerates it.
    for (int k = s.start_scale; k < scales; ++k) {
      float gain = static_cast<float>(s.noise_gain[k]);
      const std::string label = "noise at scale " + std::to_string(k);
      if (ImGui::SliderFloat(label.c_str(), &gain, 0.0f, 4.0f, "%.2f")) {
        s.noise_gain[k] = gain;
        changed = true;
      }
    }
    if (ImGui::Button("training size")) {
      s.width = s.height = 0;
      changed = true;
    }
    ImGui::SameLine();
    if (ImGui::Button("new seeds")) {
      s.seed_a = s.seed_b + 1;
      s.seed_b = s.seed_a + 1;
      s.t = 0;
      changed = true;
    }
    return changed;
  }

  RenderJob render() const override {
    return [model = model_, s = settings_] {
      return still_picture(model.interpolate(s.seed_a, s.seed_b, s.t, sample_options(s)));
    };
  }

  bool has_seed() const override { return true; }

  // Seed A to seed B in `frames` steps of the interpolation.
  RenderJob seed_walk(int frames, std::shared_ptr<WalkProgress> progress) const override {
    return [model = model_, s = settings_, frames, progress] {
      const SinganSampleOptions options = sample_options(s);
      Picture picture;
      for (int i = 0; i < frames; ++i) {
        const double t = frames > 1 ? static_cast<double>(i) / (frames - 1) : 0.0;
        picture.frames.push_back(model.interpolate(s.seed_a, s.seed_b, t, options));
        progress->count();
      }
      return picture;
    };
  }

  void set_control(const std::string& name, const std::string& value) override {
    SinganSettings& s = settings_;
    if (name == "seed" || name == "seed_a")
      s.seed_a = std::max(0, parse_int(name, value));
    else if (name == "seed_b")
      s.seed_b = std::max(0, parse_int(name, value));
    else if (name == "t")
      s.t = static_cast<float>(parse_double(name, value));
    else if (name == "start_scale")
      s.start_scale = parse_int(name, value);
    else if (name == "width")
      s.width = parse_int(name, value);
    else if (name == "height")
      s.height = parse_int(name, value);
    else if (name.rfind("noise", 0) == 0 && noise_scale(name) >= 0)
      s.noise_gain[noise_scale(name)] = parse_double(name, value);
    else
      throw unknown_control(name,
                            "seed_a (or seed), seed_b, t, start_scale, width, height, "
                            "noise0 .. noise" +
                                std::to_string(s.noise_gain.size() - 1));
  }

  bool drop_picture(const std::string&) override { return false; }

 private:
  // The scale K of a control named noiseK, or -1.
  int noise_scale(const std::string& name) const {
    const std::string digits = name.substr(5);
    if (digits.empty() || digits.size() > 3 ||
        digits.find_first_not_of("0123456789") != std::string::npos)
      return -1;
    const int k = std::stoi(digits);
    return k < static_cast<int>(settings_.noise_gain.size()) ? k : -1;
  }

  SinganModel model_;
  SinganSettings settings_;
};

}  // namespace

std::unique_ptr<ModelView> make_singan_view(const std::string& path,
                                            const ComputeOptions& compute) {
  return std::make_unique<SinganView>(SinganModel::load(path, compute));
}

}  // namespace atelier::viewer
