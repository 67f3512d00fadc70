#include "viewer_panels.h"

#include <imgui.h>

#include <algorithm>

namespace atelier::viewer {

void draw_model_panel(const ModelInfo& info) {
  ImGui::Text("%s", info.path.c_str());
  ImGui::Text("method %s, preset %s", info.method.c_str(), info.preset.c_str());
  ImGui::Text("step %lld, seed %llu, %s", static_cast<long long>(info.step),
              static_cast<unsigned long long>(info.seed),
              info.finished ? "finished" : "stopped early (resumable)");
  ImGui::Text("created %s", info.created.c_str());
}

bool draw_latent_controls(RenderRequest& r, int scales, int train_width, int train_height) {
  bool changed = false;
  int seed_a = static_cast<int>(r.seed_a), seed_b = static_cast<int>(r.seed_b);
  changed |= ImGui::InputInt("seed A", &seed_a);
  changed |= ImGui::InputInt("seed B", &seed_b);
  r.seed_a = static_cast<std::uint64_t>(std::max(0, seed_a));
  r.seed_b = static_cast<std::uint64_t>(std::max(0, seed_b));
  changed |= ImGui::SliderFloat("A -> B", &r.t, 0.0f, 1.0f);
  changed |= ImGui::SliderInt("start scale", &r.start_scale, 0, std::max(0, scales - 1));
  int width = r.width > 0 ? r.width : train_width;
  int height = r.height > 0 ? r.height : train_height;
  const bool size_changed = ImGui::SliderInt("width", &width, train_width / 2, train_width * 2) |
                            ImGui::SliderInt("height", &height, train_height / 2, train_height * 2);
  if (size_changed) {
    r.width = width;
    r.height = height;
    changed = true;
  }
  if (ImGui::Button("training size")) {
    r.width = r.height = 0;
    changed = true;
  }
  ImGui::SameLine();
  if (ImGui::Button("new seeds")) {
    r.seed_a = r.seed_b + 1;
    r.seed_b = r.seed_a + 1;
    r.t = 0;
    changed = true;
  }
  return changed;
}

}  // namespace atelier::viewer
