#include "viewer_panels.h"

#include <imgui.h>

#include <cstdio>
#include <exception>
#include <filesystem>

namespace atelier::viewer {

void draw_model_panel(const ModelInfo& info) {
  ImGui::TextWrapped("%s", info.path.c_str());
  if (info.method == "patchnn") {  // the instant mode: a picture, no model file
    ImGui::Text("method patchnn (instant), preset %s", info.preset.c_str());
    return;
  }
  ImGui::Text("method %s, preset %s", info.method.c_str(), info.preset.c_str());
  ImGui::Text("step %lld, seed %llu, %s", static_cast<long long>(info.step),
              static_cast<unsigned long long>(info.seed),
              info.finished ? "finished" : "stopped early (resumable)");
  ImGui::Text("created %s", info.created.c_str());
}

void draw_error(const std::string& message) {
  if (message.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 0.4f, 0.4f, 1));
  ImGui::TextWrapped("%s", message.c_str());
  ImGui::PopStyleColor();
}

void draw_status(const RenderResult& last, bool rendering) {
  const float framerate = ImGui::GetIO().Framerate;
  ImGui::Text("render %.1f ms%s   UI frame %.1f ms (%.0f fps)", last.milliseconds,
              rendering ? " (rendering...)" : "", framerate > 0 ? 1000.0f / framerate : 0.0f,
              framerate);
  draw_error(last.error);
}

std::string next_capture_file(const Capture& capture, int& number, const std::string& method,
                              const std::string& extension) {
  std::filesystem::path file;
  do {
    char name[64];
    std::snprintf(name, sizeof(name), "%s-%05d.%s", method.c_str(), number++, extension.c_str());
    file = std::filesystem::path(capture.folder) / name;
  } while (std::filesystem::exists(file));
  return file.string();
}

void save_capture(Capture& capture, const Image& shown, const std::string& method) {
  try {
    const std::string file = next_capture_file(capture, capture.next_number, method, "png");
    save_image(shown, file);
    capture.message = "saved " + file;
    capture.failed = false;
  } catch (const std::exception& e) {
    capture.message = e.what();
    capture.failed = true;
  }
}

void draw_capture(Capture& capture, const Image& shown, const std::string& method) {
  ImGui::InputText("capture folder", capture.folder, sizeof(capture.folder));
  if (ImGui::Button("Save PNG") && !shown.empty()) save_capture(capture, shown, method);
  if (capture.failed)
    draw_error(capture.message);
  else if (!capture.message.empty())
    ImGui::TextWrapped("%s", capture.message.c_str());
}

}  // namespace atelier::viewer
