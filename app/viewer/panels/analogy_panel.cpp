// analogy: the direction (a->b keeps a's structure and takes b's patches), the injection level
// and the seed of the finer scales' noise; a dropped picture replaces the training image as the
// source (paint-to-image through the analogy).
#include <imgui.h>

#include <algorithm>

#include "atelier/analogy.h"
#include "panels.h"

namespace atelier::viewer {
namespace {

struct AnalogySettings {
  int from = 0;                  // 0: a->b, 1: b->a
  int inject = kModelInjection;  // scale where the source enters the other domain's chain
  int seed = 0;
};

// The translation of the settings' direction with `seed`: of `source`, or, when it is empty, of
// the training image of the direction's source domain.
Image translation(const AnalogyModel& model, const AnalogySettings& s, const Image& source,
                  int seed) {
  AnalogyTranslateOptions options;
  options.inject = s.inject;
  options.seed = static_cast<std::uint64_t>(seed);
  const Domain from = s.from == 0 ? Domain::A : Domain::B;
  return source.empty() ? model.translate(from, options) : model.translate(source, from, options);
}

class AnalogyView : public ModelView {
 public:
  explicit AnalogyView(AnalogyModel model) : model_(std::move(model)) {}

  const ModelInfo& info() const override { return model_.info(); }

  bool draw_controls() override {
    AnalogySettings& s = settings_;
    bool changed = ImGui::RadioButton("a -> b", &s.from, 0);
    ImGui::SameLine();
    changed |= ImGui::RadioButton("b -> a", &s.from, 1);
    const Domain from = s.from == 0 ? Domain::A : Domain::B;
    // -1 is the model's own level, chosen after training.
    const std::string model_level =
        "model's level (" + std::to_string(model_.default_inject(from)) + ")";
    changed |= ImGui::SliderInt("injection level", &s.inject, kModelInjection, model_.scales() - 1,
                                s.inject == kModelInjection ? model_level.c_str() : "%d");
    changed |= ImGui::InputInt("seed", &s.seed);
    s.seed = std::max(0, s.seed);
    changed |= source_.draw("source picture");
    ImGui::TextDisabled("(empty: the training image; drop a picture to use it)");
    if (!source_.empty() && ImGui::Button("training image as source")) {
      source_ = PictureSlot();
      changed = true;
    }
    return changed;
  }

  RenderJob render() const override {
    return [model = model_, s = settings_, source = source_.picture()] {
      Picture picture = still_picture(translation(model, s, source, s.seed));
      if (!source.empty()) picture.inputs = {source};
      return picture;
    };
  }

  bool has_seed() const override { return true; }

  // The current translation with seeds seed, seed + 1, ...
  RenderJob seed_walk(int frames, std::shared_ptr<WalkProgress> progress) const override {
    return [model = model_, s = settings_, source = source_.picture(), frames, progress] {
      Picture picture;
      for (int i = 0; i < frames; ++i) {
        picture.frames.push_back(translation(model, s, source, s.seed + i));
        progress->count();
      }
      return picture;
    };
  }

  void set_control(const std::string& name, const std::string& value) override {
    AnalogySettings& s = settings_;
    if (name == "direction") {
      if (value != "a2b" && value != "b2a")
        throw usage_error("control direction: '" + value + "' is not a2b or b2a");
      s.from = value == "a2b" ? 0 : 1;
    } else if (name == "inject") {
      s.inject = std::clamp(parse_int(name, value), kModelInjection, model_.scales() - 1);
    } else if (name == "seed") {
      s.seed = std::max(0, parse_int(name, value));
    } else if (name == "source") {
      source_.load(value);
    } else {
      throw unknown_control(name, "direction (a2b or b2a), inject, seed, source");
    }
  }

  bool drop_picture(const std::string& path) override {
    source_.load(path);
    return true;
  }

 private:
  AnalogyModel model_;
  AnalogySettings settings_;
  PictureSlot source_;  // empty: the training image of the direction's source domain
};

}  // namespace

std::unique_ptr<ModelView> make_analogy_view(const std::string& path,
                                             const ComputeOptions& compute) {
  return std::make_unique<AnalogyView>(AnalogyModel::load(path, compute));
}

}  // namespace atelier::viewer
