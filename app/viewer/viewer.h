// The window's content: the model shown (its ModelView), the renderer that draws it, and the
// picture it drew last, played when it is a clip.
#pragma once

#include <atomic>
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
  ~Viewer();  // stops a seed walk after its current picture

  // One UI frame (between ImGui::NewFrame and ImGui::Render): takes a finished render, draws the
  // controls and the picture. `now` in seconds paces clips.
  void frame(double now);
  // A file dropped on the window: a picture goes to the model, anything else opens as a model
  // that replaces the current one. A file that cannot be used is shown in red.
  void open_dropped(const std::string& path);

  // The picture has settled: nothing renders, and the newest picture has been on screen a few
  // frames.
  bool settled() const { return !renderer_.busy() && quiet_frames_ > 3; }
  const RenderResult& last_render() const { return last_; }
  const ModelInfo& model() const { return view_->info(); }
  const std::string& message() const { return message_; }  // why a dropped file was refused

  // Save GIF: renders `frames` pictures walking between seeds (ModelView::seed_walk) on a thread
  // of its own and writes them as an animated GIF to `path`, or, when empty, to the capture
  // folder's next <method>-NNNNN.gif (never overwriting). False (with gif_message()) when the view
  // has no seed or a GIF is being written.
  bool save_gif(const std::string& path = "", int frames = kGifFrames);
  bool gif_running() const { return gif_running_; }
  void stop_gif() { gif_progress_->stop = true; }  // the walk ends after its current picture
  bool gif_failed() const { return gif_failed_; }
  ErrorKind gif_error_kind() const { return gif_error_kind_; }
  const std::string& gif_message() const { return gif_message_; }  // the file, or the error
  static constexpr int kGifFrames = 24;

 private:
  void request();
  void show_frame(double now);
  void draw_controls_window();
  void draw_picture_window();
  void draw_gif_controls();

  std::unique_ptr<ModelView> view_;
  ComputeOptions compute_;
  LatestRenderer renderer_;
  RenderResult last_;
  Picture picture_;  // the last picture drawn without error
  int shown_frame_ = -1;
  int quiet_frames_ = 0;  // frames drawn since the last result or request, none while rendering
  Texture texture_, mask_texture_;
  std::vector<Texture> input_textures_;
  bool show_mask_ = true;
  float mask_opacity_ = 0.35f;
  std::string message_;  // a dropped file that could not be used
  Capture capture_;
  LatestRenderer gif_renderer_;  // the seed walks, so that they never wait on the live picture
  std::shared_ptr<WalkProgress> gif_progress_ = std::make_shared<WalkProgress>();
  int gif_frames_ = kGifFrames;
  bool gif_running_ = false;
  bool gif_failed_ = false;
  ErrorKind gif_error_kind_ = ErrorKind::Internal;
  std::string gif_message_;
};

}  // namespace atelier::viewer
