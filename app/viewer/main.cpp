// atelier-viewer MODEL.atl — a live latent viewer: move the controls, the picture follows.
// Rendering runs on one background thread (latest request wins), so the window never waits.
// Every method that writes a model file has its view (model_view.h, panels/); a model file
// dropped on the window replaces the model, a dropped picture goes to the model's picture input.
// `atelier-viewer PICTURE.png` opens the instant view (patchnn): samples of the picture's own
// patches, no model file. Views with a seed save a GIF of a seed walk (--save-gif in scripts).
//
// Exit codes: 0 ok, 1 usage, 2 bad input (a bad or unknown model file, a bad picture), 4 internal.
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "atelier/error.h"
#include "atelier/exit_code.h"
#include "model_view.h"
#include "viewer.h"

using namespace atelier;
using namespace atelier::viewer;

namespace {

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

// Paths dropped on the window, collected by GLFW's callback during glfwPollEvents.
std::vector<std::string> dropped_paths;
void on_drop(GLFWwindow*, int count, const char** paths) {
  for (int i = 0; i < count; ++i) dropped_paths.emplace_back(paths[i]);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"atelier-viewer: live latent viewer for trained Atelier models"};
  std::string model_path;
  ComputeOptions compute;
  std::string screenshot;
  std::vector<std::string> controls;
  std::string gif;
  int gif_frames = Viewer::kGifFrames;
  app.add_option("model", model_path,
                 "A trained model file (.atl), or a picture to sample at once (patchnn)")
      ->required();
  app.add_option("--device", compute.device, "auto, cpu, cuda or cuda:N");
  app.add_option("--threads", compute.threads,
                 "CPU threads (0: automatic, every core while other programs leave them free)");
  app.add_option("--screenshot", screenshot,
                 "Save the window as PNG once the first picture is shown (and the --save-gif file "
                 "written), then quit");
  app.add_option("--set", controls,
                 "Set a control before the first picture: NAME=VALUE (repeatable; an unknown "
                 "name lists the model's controls)");
  app.add_option("--save-gif", gif,
                 "Write a GIF of a seed walk from the first picture's controls to this file, "
                 "then quit");
  app.add_option("--gif-frames", gif_frames, "Frames of the seed walk (Save GIF)")
      ->check(CLI::Range(2, 1000));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);  // prints help or the problem
    return code == 0 ? 0 : 1;
  }

  std::unique_ptr<ModelView> view;
  try {
    view = open_model_view(model_path, compute);
    for (const std::string& control : controls) {
      const auto equals = control.find('=');
      if (equals == std::string::npos)
        throw usage_error("--set " + control + ": expected NAME=VALUE");
      view->set_control(control.substr(0, equals), control.substr(equals + 1));
    }
    if (!gif.empty() && !view->has_seed())
      throw usage_error("--save-gif: this " + view->info().method + " view has no seed to walk");
  } catch (const Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return exit_code_for(e.kind());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s: %s\n", model_path.c_str(), e.what());
    return 4;
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
  glfwSetDropCallback(window, on_drop);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // the same layout every time (and in screenshots)
  ImGui::StyleColorsDark();
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 130");

  int status = 0;
  {
    Viewer viewer(std::move(view), compute);
    std::string shown_path;
    bool shot_taken = screenshot.empty(), gif_started = false, gif_written = gif.empty();
    while (!glfwWindowShouldClose(window)) {
      glfwPollEvents();
      for (const std::string& path : dropped_paths) viewer.open_dropped(path);
      dropped_paths.clear();
      if (viewer.model().path != shown_path) {  // the title names the model file shown
        shown_path = viewer.model().path;
        glfwSetWindowTitle(window, ("Atelier viewer - " + shown_path).c_str());
      }

      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplGlfw_NewFrame();
      ImGui::NewFrame();
      viewer.frame(glfwGetTime());
      ImGui::Render();

      int fb_width = 0, fb_height = 0;
      glfwGetFramebufferSize(window, &fb_width, &fb_height);
      glViewport(0, 0, fb_width, fb_height);
      glClearColor(0.12f, 0.12f, 0.14f, 1);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
      // --save-gif: once the first picture is shown (the controls are those of --set).
      if (!gif_started && viewer.settled()) {
        gif_started = true;
        if (!gif_written && !viewer.save_gif(gif, gif_frames)) {
          std::fprintf(stderr, "error: %s\n", viewer.gif_message().c_str());
          if (status == 0) status = exit_code_for(viewer.gif_error_kind());
          gif_written = true;
        }
      }
      if (gif_started && !gif_written && !viewer.gif_running()) {
        gif_written = true;
        if (viewer.gif_failed()) {
          std::fprintf(stderr, "error: %s\n", viewer.gif_message().c_str());
          if (status == 0) status = exit_code_for(viewer.gif_error_kind());
        } else {
          std::printf("%s\n", viewer.gif_message().c_str());
        }
      }
      // The screenshot waits for the GIF, so that it shows the file written (or the error).
      if (!shot_taken && gif_written && viewer.settled()) {
        shot_taken = true;
        try {
          save_image(read_framebuffer(fb_width, fb_height), screenshot);
        } catch (const Error& e) {
          std::fprintf(stderr, "error: %s\n", e.what());
          status = exit_code_for(e.kind());
        }
        // The window shows the engine's error; a script learns of it from the exit code.
        if (const RenderResult& last = viewer.last_render(); !last.error.empty()) {
          std::fprintf(stderr, "error: %s\n", last.error.c_str());
          if (status == 0) status = exit_code_for(last.error_kind);
        }
      }
      if ((!screenshot.empty() || !gif.empty()) && shot_taken && gif_written)
        glfwSetWindowShouldClose(window, GLFW_TRUE);
      glfwSwapBuffers(window);
    }
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return status;
}
