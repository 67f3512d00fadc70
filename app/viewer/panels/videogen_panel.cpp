// videogen: new clips played at the clip's rate; seed, length, latent temperature and layout,
// and the start level (coarser levels keep the training clip's layout and motion).
#include <imgui.h>

#include <algorithm>

#include "atelier/videogen.h"
#include "panels.h"

namespace atelier::viewer {
namespace {

struct VideogenSettings {
  int seed = 0;
  int frames = 0;          // 0: the training length
  float temperature = -1;  // < 0: the model's sample_temperature
  float layout = -1;       // 0: from the prior; 1: around the training clip; < 0: the model's
  int start_level = 0;
};

VideogenSampleOptions sample_options(const VideogenSettings& s, int seed) {
  VideogenSampleOptions options;
  options.seed = static_cast<std::uint64_t>(seed);
  options.frames = s.frames;
  options.temperature = s.temperature;
  options.layout = s.layout;
  options.start_level = s.start_level;
  return options;
}

class VideogenView : public ModelView {
 public:
  explicit VideogenView(VideogenModel model)
      : model_(std::move(model)),
        training_frames_(static_cast<int>(model_.training_clip().frames.size())) {
    settings_.temperature = static_cast<float>(model_.resolved_temperature(-1));
    settings_.layout = static_cast<float>(model_.resolved_layout(-1));
  }

  const ModelInfo& info() const override { return model_.info(); }

  bool draw_controls() override {
    VideogenSettings& s = settings_;
    bool changed = ImGui::InputInt("seed", &s.seed);
    s.seed = std::max(0, s.seed);
    int frames = s.frames > 0 ? s.frames : training_frames_;
    if (ImGui::SliderInt("frames", &frames, 2, std::max(4 * training_frames_, 8))) {
      s.frames = frames;
      changed = true;
    }
    changed |= ImGui::SliderFloat("temperature", &s.temperature, 0.0f, 3.0f);
    changed |= ImGui::SliderFloat("layout", &s.layout, 0.0f, 1.0f);
    changed |= ImGui::SliderInt("start level", &s.start_level, 0,
                                std::max(0, model_.trained_levels() - 1));
    if (ImGui::Button("next seed")) {
      ++s.seed;
      changed = true;
    }
    return changed;
  }

  RenderJob render() const override {
    return [model = model_, s = settings_] {
      Video clip = model.sample(sample_options(s, s.seed));
      Picture picture;
      picture.frames = std::move(clip.frames);
      picture.fps = clip.fps;
      return picture;
    };
  }

  bool has_seed() const override { return true; }

  // The first frame of the clips of seeds seed, seed + 1, ...
  RenderJob seed_walk(int frames, std::shared_ptr<WalkProgress> progress) const override {
    return [model = model_, s = settings_, frames, progress] {
      Picture picture;
      for (int i = 0; i < frames; ++i) {
        Video clip = model.sample(sample_options(s, s.seed + i));
        if (clip.frames.empty()) throw bad_input("videogen drew an empty clip");
        picture.frames.push_back(std::move(clip.frames.front()));
        progress->count();
      }
      return picture;
    };
  }

  void set_control(const std::string& name, const std::string& value) override {
    VideogenSettings& s = settings_;
    if (name == "seed")
      s.seed = std::max(0, parse_int(name, value));
    else if (name == "frames")
      s.frames = parse_int(name, value);
    else if (name == "temperature")
      s.temperature = static_cast<float>(parse_double(name, value));
    else if (name == "layout")
      s.layout = static_cast<float>(parse_double(name, value));
    else if (name == "start_level")
      s.start_level = parse_int(name, value);
    else
      throw unknown_control(name, "seed, frames, temperature, layout, start_level");
  }

  bool drop_picture(const std::string&) override { return false; }

 private:
  VideogenModel model_;
  int training_frames_;
  VideogenSettings settings_;
};

}  // namespace

std::unique_ptr<ModelView> make_videogen_view(const std::string& path,
                                              const ComputeOptions& compute) {
  return std::make_unique<VideogenView>(VideogenModel::load(path, compute));
}

}  // namespace atelier::viewer
