// atelier-viewer MODEL.atl — a live latent viewer: move the sliders, the image follows.
// Rendering runs on one background thread (latest request wins), so the window never waits.
#include <CLI/CLI.hpp>
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <vector>

#include "atelier/error.h"
#include "atelier/singan.h"
#include "latest_renderer.h"
#include "viewer_panels.h"

using namespace atelier;
using namespace atelier::viewer;

namespace {

// An RGB image in an OpenGL texture, replaced in place when a new image arrives.
class Texture {
 public:
  ~Texture() {
    if (id_) glDeleteTextures(1, &id_);
  }
  void upload(const Image& rgb) {
    if (!id_) glGenTextures(1, &id_);
    glBindTexture(GL_TEXTURE_2D, id_);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);  // rows are tightly packed, any width
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGB, rgb.width, rgb.height, 0, GL_RGB, GL_UNSIGNED_BYTE,
                 rgb.pixels.data());
    width_ = rgb.width;
    height_ = rgb.height;
  }
  bool empty() const { return id_ == 0; }
  ImTextureID id() const { return reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(id_)); }
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  GLuint id_ = 0;
  int width_ = 0, height_ = 0;
};

// The back buffer as an RGB image (OpenGL's rows run bottom-up).
Image read_framebuffer(int width, int height) {
  Image image(width, height, 3);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  std::vector<std::uint8_t> rows(image.pixels.size());
  glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, rows.data());
  for (int y = 0; y < height; ++y)
    std::copy_n(rows.data() + (height - 1 - y) * image.stride(), image.stride(), image.row(y));
  return image;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"atelier-viewer: live latent viewer for trained Atelier models"};
  std::string model_path;
  ComputeOptions compute;
  app.add_option("model", model_path, "A trained model file (.atl)")->required();
  app.add_option("--device", compute.device, "auto, cpu, cuda or cuda:N");
  app.add_option("--threads", compute.threads,
                 "CPU threads (0: automatic, every core while other programs leave them free)");
  std::string screenshot;
  app.add_option("--screenshot", screenshot,
                 "Save the window as PNG once the first image is shown, then quit");
  CLI11_PARSE(app, argc, argv);

  std::optional<SinganModel> model;
  try {
    const ModelInfo info = inspect_model(model_path);
    if (info.method != "singan")
      throw usage_error(model_path + ": the viewer shows singan models for now; this one is " +
                        info.method);
    model = SinganModel::load(model_path, compute);
  } catch (const Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return e.kind() == ErrorKind::Usage ? 1 : 2;
  }

  if (!glfwInit()) {
    std::fprintf(stderr, "error: no display (GLFW could not start)\n");
    return 4;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  GLFWwindow* window = glfwCreateWindow(1100, 720, "Atelier viewer", nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "error: could not open an OpenGL 3 window\n");
    glfwTerminate();
    return 4;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::StyleColorsDark();
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 130");

  const SinganModel& singan = *model;
  const int scales = static_cast<int>(singan.scales().size());
  {
    LatestRenderer renderer([&singan](const RenderRequest& r) {
      SinganSampleOptions options;
      options.start_scale = r.start_scale;
      options.width = r.width;
      options.height = r.height;
      return singan.interpolate(r.seed_a, r.seed_b, r.t, options);
    });
    RenderRequest request;
    renderer.request(request);
    Texture texture;
    RenderResult last;

    while (!glfwWindowShouldClose(window)) {
      glfwPollEvents();
      if (auto result = renderer.take_result()) {
        last = std::move(*result);
        if (last.error.empty()) texture.upload(last.image);
      }
      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplGlfw_NewFrame();
      ImGui::NewFrame();

      ImGui::SetNextWindowPos(ImVec2(10, 10), ImGuiCond_FirstUseEver);
      ImGui::SetNextWindowSize(ImVec2(380, 300), ImGuiCond_FirstUseEver);
      ImGui::Begin("Model");
      draw_model_panel(singan.info());
      ImGui::Separator();
      if (draw_latent_controls(request, scales, singan.width(), singan.height()))
        renderer.request(request);
      ImGui::Separator();
      if (!last.error.empty())
        ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", last.error.c_str());
      else
        ImGui::Text("last render %.1f ms", last.milliseconds);
      ImGui::End();

      ImGui::SetNextWindowPos(ImVec2(400, 10), ImGuiCond_FirstUseEver);
      ImGui::SetNextWindowSize(ImVec2(680, 680), ImGuiCond_FirstUseEver);
      ImGui::Begin("Image");
      if (!texture.empty()) {
        const ImVec2 room = ImGui::GetContentRegionAvail();
        const float zoom = std::max(
            0.1f, std::min(room.x / texture.width(), room.y / texture.height()));
        ImGui::Image(texture.id(), ImVec2(texture.width() * zoom, texture.height() * zoom));
      }
      ImGui::End();

      ImGui::Render();
      int fb_width = 0, fb_height = 0;
      glfwGetFramebufferSize(window, &fb_width, &fb_height);
      glViewport(0, 0, fb_width, fb_height);
      glClearColor(0.12f, 0.12f, 0.14f, 1);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
      if (!screenshot.empty() && !texture.empty() && ImGui::GetFrameCount() > 3) {
        save_image(read_framebuffer(fb_width, fb_height), screenshot);
        glfwSetWindowShouldClose(window, GLFW_TRUE);
      }
      glfwSwapBuffers(window);
    }
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return 0;
}
