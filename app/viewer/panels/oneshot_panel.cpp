// oneshot: a picture translated A->B or B->A (phase II models; phase I models only have B's
// autoencoder, so they reconstruct), its reconstruction, or A's cycle A->B->A. The default
// picture is the A image a phase II model was trained on.
#include <imgui.h>

#include "atelier/oneshot.h"
#include "panels.h"

namespace atelier::viewer {
namespace {

enum Operation { kTranslateAToB, kTranslateBToA, kReconstructA, kReconstructB, kCycle };
const char* const kOperationNames[] = {"translate A -> B", "translate B -> A", "reconstruct A",
                                       "reconstruct B", "cycle A -> B -> A"};
const char* const kOperationKeys[] = {"a2b", "b2a", "rec_a", "rec_b", "cycle"};

class OneshotView : public ModelView {
 public:
  explicit OneshotView(OneshotModel model) : model_(std::move(model)) {
    if (model_.phase() == 2)
      picture_.set(model_.a_image(), "(the A image it was trained on)");
    else
      operation_ = kReconstructB;  // phase I knows only domain B
  }

  const ModelInfo& info() const override { return model_.info(); }

  bool draw_controls() override {
    ImGui::Text("phase %d%s", model_.phase(),
                model_.phase() == 1 ? ": B's autoencoder only (A needs phase II)" : "");
    bool changed = picture_.draw("picture");
    changed |=
        ImGui::Combo("operation", &operation_, kOperationNames, IM_ARRAYSIZE(kOperationNames));
    if (picture_.empty()) ImGui::TextDisabled("waiting for a picture (drop one on the window)");
    return changed;
  }

  RenderJob render() const override {
    if (picture_.empty()) return {};
    return [model = model_, operation = operation_, picture = picture_.picture()] {
      Picture drawn = still_picture(draw(model, operation, picture));
      drawn.inputs = {picture};
      return drawn;
    };
  }

  static Image draw(const OneshotModel& model, int operation, const Image& picture) {
    switch (operation) {
      case kTranslateAToB:
        return model.translate(picture, OneshotDomain::A);
      case kTranslateBToA:
        return model.translate(picture, OneshotDomain::B);
      case kReconstructA:
        return model.reconstruct(picture, OneshotDomain::A);
      case kReconstructB:
        return model.reconstruct(picture, OneshotDomain::B);
      default:
        return model.cycle(picture);
    }
  }

  void set_control(const std::string& name, const std::string& value) override {
    if (name == "picture") {
      picture_.load(value);
    } else if (name == "operation") {
      for (int i = 0; i < IM_ARRAYSIZE(kOperationKeys); ++i)
        if (value == kOperationKeys[i]) {
          operation_ = i;
          return;
        }
      throw usage_error("control operation: '" + value +
                        "' is not one of a2b, b2a, rec_a, rec_b, cycle");
    } else {
      throw unknown_control(name, "picture, operation (a2b, b2a, rec_a, rec_b, cycle)");
    }
  }

  bool drop_picture(const std::string& path) override {
    picture_.load(path);
    return true;
  }

 private:
  OneshotModel model_;
  PictureSlot picture_;
  int operation_ = kTranslateAToB;
};

}  // namespace

std::unique_ptr<ModelView> make_oneshot_view(const std::string& path,
                                             const ComputeOptions& compute) {
  return std::make_unique<OneshotView>(OneshotModel::load(path, compute));
}

}  // namespace atelier::viewer
