// disentangle and masktransfer: two pictures X and Y and the codes the model splits them into,
// G(lerp(Ec(x), Ec(y), common), strength_a * lerp(EsA(x), EsA(y), separate), strength_b * ...).
// All sliders at 0 (strengths 1) redraw X; separate 1 puts Y's attributes onto X; strength 0
// removes an attribute. masktransfer paints the edited attribute layers over X and returns the
// mask of what it changed.
#include <imgui.h>

#include "atelier/disentangle.h"
#include "atelier/masktransfer.h"
#include "panels.h"

namespace atelier::viewer {
namespace {

struct TransferSettings {
  float common = 0;    // common code: X (0) -> Y (1)
  float separate = 0;  // separate codes: X (0) -> Y (1)
  float strength_a = 1;
  float strength_b = 1;
};

LatentCode mix(const LatentCode& x, const LatentCode& y, float t, float strength) {
  LatentCode code = x;
  for (std::size_t i = 0; i < code.values.size(); ++i)
    code.values[i] = strength * ((1 - t) * x.values[i] + t * y.values[i]);
  return code;
}

DisentangleCodes mix(const DisentangleCodes& x, const DisentangleCodes& y,
                     const TransferSettings& s) {
  return {mix(x.common, y.common, s.common, 1), mix(x.a, y.a, s.separate, s.strength_a),
          mix(x.b, y.b, s.separate, s.strength_b)};
}

Picture draw_codes(const DisentangleModel& model, const Image& /*x*/,
                   const DisentangleCodes& codes) {
  return still_picture(model.generate(codes));
}

Picture draw_codes(const MasktransferModel& model, const Image& x, const DisentangleCodes& codes) {
  MaskedImage drawn = model.generate(x, codes);
  Picture picture = still_picture(std::move(drawn.image));
  picture.mask = std::move(drawn.mask);
  return picture;
}

template <typename Model>
class TransferView : public ModelView {
 public:
  explicit TransferView(Model model) : model_(std::move(model)) {}

  const ModelInfo& info() const override { return model_.info(); }

  bool draw_controls() override {
    TransferSettings& s = settings_;
    bool changed = x_.draw("picture X") | y_.draw("picture Y");
    ImGui::TextDisabled("next dropped picture:");
    ImGui::SameLine();
    ImGui::RadioButton("X", &next_drop_, 0);
    ImGui::SameLine();
    ImGui::RadioButton("Y", &next_drop_, 1);
    changed |= ImGui::SliderFloat("common X -> Y", &s.common, 0.0f, 1.0f);
    changed |= ImGui::SliderFloat("separate X -> Y", &s.separate, 0.0f, 1.0f);
    changed |= ImGui::SliderFloat("strength A", &s.strength_a, 0.0f, 2.0f);
    changed |= ImGui::SliderFloat("strength B", &s.strength_b, 0.0f, 2.0f);
    if (ImGui::Button("reset")) {
      s = TransferSettings();
      changed = true;
    }
    ImGui::SameLine();
    if (ImGui::Button("remove attributes")) {
      s = TransferSettings();
      s.strength_a = s.strength_b = 0;
      changed = true;
    }
    if (x_.empty() || y_.empty()) ImGui::TextDisabled("waiting for pictures X and Y");
    return changed;
  }

  RenderJob render() const override {
    if (x_.empty() || y_.empty()) return {};
    return [model = model_, s = settings_, x = x_.picture(), y = y_.picture()] {
      Picture picture = draw_codes(model, x, mix(model.encode(x), model.encode(y), s));
      picture.inputs = {x, y};
      return picture;
    };
  }

  void set_control(const std::string& name, const std::string& value) override {
    TransferSettings& s = settings_;
    if (name == "x")
      x_.load(value);
    else if (name == "y")
      y_.load(value);
    else if (name == "common")
      s.common = static_cast<float>(parse_double(name, value));
    else if (name == "separate")
      s.separate = static_cast<float>(parse_double(name, value));
    else if (name == "strength_a")
      s.strength_a = static_cast<float>(parse_double(name, value));
    else if (name == "strength_b")
      s.strength_b = static_cast<float>(parse_double(name, value));
    else
      throw unknown_control(name, "x, y, common, separate, strength_a, strength_b");
  }

  bool drop_picture(const std::string& path) override {
    (next_drop_ == 0 ? x_ : y_).load(path);
    next_drop_ = 1 - next_drop_;
    return true;
  }

 private:
  Model model_;
  TransferSettings settings_;
  PictureSlot x_, y_;
  int next_drop_ = 0;  // 0: X, 1: Y
};

}  // namespace

std::unique_ptr<ModelView> make_disentangle_view(const std::string& path,
                                                 const ComputeOptions& compute) {
  return std::make_unique<TransferView<DisentangleModel>>(DisentangleModel::load(path, compute));
}

std::unique_ptr<ModelView> make_masktransfer_view(const std::string& path,
                                                  const ComputeOptions& compute) {
  return std::make_unique<TransferView<MasktransferModel>>(MasktransferModel::load(path, compute));
}

}  // namespace atelier::viewer
