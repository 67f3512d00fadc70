// The viewer's ImGui panels that every model shares: what the model is, the timings, the engine's
// errors and the capture (Save PNG) widget.
#pragma once

#include <string>

#include "atelier/model_file.h"
#include "latest_renderer.h"

namespace atelier::viewer {

void draw_model_panel(const ModelInfo& info);
// Render time of the last picture, the UI's frame time, and the engine's error in red.
void draw_status(const RenderResult& last, bool rendering);
void draw_error(const std::string& message);  // in red; nothing when empty

// Save PNG: writes the picture shown (the current frame, at its own size) into a folder.
struct Capture {
  char folder[1024] = ".";
  int next_number = 0;
  int next_gif_number = 0;
  std::string message;  // the file written, or why it failed
  bool failed = false;
};
// <folder>/<method>-NNNNN.<extension>, from `number` on, the first whose file does not exist yet;
// `number` is left past it.
std::string next_capture_file(const Capture& capture, int& number, const std::string& method,
                              const std::string& extension);
void draw_capture(Capture& capture, const Image& shown, const std::string& method);
// What the button does: writes `shown` as <folder>/<method>-NNNNN.png, the next number whose file
// does not exist yet (earlier captures are never overwritten); sets capture.message.
void save_capture(Capture& capture, const Image& shown, const std::string& method);

}  // namespace atelier::viewer
