// The window's content: the model shown (its ModelView), the renderer that draws it, and the
// picture it drew last, played when it is a clip.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "latest_renderer.h"
#include "model_view.h"
#include "texture.h"
#include "viewer_panels.h"

namespace atelier::viewer {

class Viewer {
 public:
  Viewer(std::unique_ptr<ModelView> view, ComputeOptions compute);

  // One UI frame (between ImGui::NewFrame and ImGui::Render): takes a finished render, draws the
  // controls and the picture. `now` in seconds paces clips.
  void frame(double now);
  // A file dropped on the window: a picture goes to the model, anything else opens as a model
  // that replaces the current one. A file that cannot be used is shown in red.
  void open_dropped(const std::string& path);

  // The picture has settled: nothing renders, and it has been on screen a few frames.
  bool settled() const { return !renderer_.busy() && quiet_frames_ > 3; }
  const RenderResult& last_render() const { return last_; }
  const ModelInfo& model() const { return view_->info(); }
  const std::string& message() const { return message_; }  // why a dropped file was refused

 private:
  void request();
  void show_frame(double now);
  void draw_controls_window();
  void draw_picture_window();

  std::unique_ptr<ModelView> view_;
  ComputeOptions compute_;
  LatestRenderer renderer_;
  RenderResult last_;
  Picture picture_;  // the last picture drawn without error
  int shown_frame_ = -1;
  int quiet_frames_ = 0;
  Texture texture_, mask_texture_;
  std::vector<Texture> input_textures_;
  bool show_mask_ = true;
  float mask_opacity_ = 0.35f;
  std::string message_;  // a dropped file that could not be used
  Capture capture_;
};

}  // namespace atelier::viewer
