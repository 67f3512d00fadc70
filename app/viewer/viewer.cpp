#include "viewer.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <filesystem>

#include "atelier/video.h"

namespace atelier::viewer {
namespace {

// A grey mask as red paint whose opacity is the mask (drawn over the picture).
Image mask_overlay(const Image& mask) {
  Image overlay(mask.width, mask.height, 4);
  for (int y = 0; y < mask.height; ++y)
    for (int x = 0; x < mask.width; ++x) {
      std::uint8_t* p = overlay.at(x, y);
      p[0] = 255, p[1] = 40, p[2] = 40, p[3] = mask.at(x, y)[0];
    }
  return overlay;
}

}  // namespace

Viewer::Viewer(std::unique_ptr<ModelView> view, ComputeOptions compute)
    : view_(std::move(view)), compute_(std::move(compute)) {
  request();
}

Viewer::~Viewer() {
  stop_gif();
}

void Viewer::frame(double now) {
  // Asked before the result is taken: a render that ends between the two counts as still running
  // this frame, so its picture is taken in the next one before settled() can say yes. Counting
  // frames during a render let a render that ended just after take_result() look settled with its
  // picture never shown (a blank --screenshot).
  const bool rendering = renderer_.busy();
  if (auto result = renderer_.take_result()) {
    last_ = std::move(*result);
    if (last_.error.empty()) {
      picture_ = last_.picture;
      shown_frame_ = -1;
      if (!picture_.mask.empty()) mask_texture_.upload(mask_overlay(picture_.mask));
      input_textures_.resize(picture_.inputs.size());
      for (std::size_t i = 0; i < picture_.inputs.size(); ++i)
        input_textures_[i].upload(picture_.inputs[i]);
    }
    quiet_frames_ = 0;
  }
  if (auto gif = gif_renderer_.take_result()) {
    gif_running_ = false;
    gif_failed_ = !gif->error.empty();
    gif_error_kind_ = gif->error_kind;
    if (gif_failed_)
      gif_message_ = gif->error;
    else
      gif_message_ = "saved " + gif_message_ + " (" + std::to_string(gif->picture.frames.size()) +
                     " frames, " + std::to_string(static_cast<int>(gif->milliseconds)) + " ms)";
  }
  show_frame(now);
  draw_controls_window();
  draw_picture_window();
  quiet_frames_ = rendering ? 0 : quiet_frames_ + 1;
}

void Viewer::open_dropped(const std::string& path) {
  try {
    if (is_image_file_name(path)) {
      if (!view_->drop_picture(path))
        throw bad_input(path + ": this " + view_->info().method + " model takes no pictures");
    } else {
      view_ = open_model_view(path, compute_);
      renderer_.cancel();  // the old model's picture must not arrive after the new model
      picture_ = Picture();
      shown_frame_ = -1;
      input_textures_.clear();
      last_ = RenderResult();
    }
    message_.clear();
    request();
  } catch (const std::exception& e) {
    message_ = e.what();
  }
}

bool Viewer::save_gif(const std::string& path, int frames) {
  if (gif_running_) return false;
  gif_failed_ = true;
  gif_error_kind_ = ErrorKind::Usage;
  if (!view_->has_seed()) {
    gif_message_ = "this " + view_->info().method + " view has no seed to walk";
    return false;
  }
  if (frames < 2) {
    gif_message_ = "a seed walk needs at least 2 frames";
    return false;
  }
  std::string file = path;
  try {
    if (file.empty())
      file = next_capture_file(capture_, capture_.next_gif_number, view_->info().method, "gif");
    // A folder that is not there fails now, not after the whole walk.
    const std::filesystem::path folder = std::filesystem::path(file).parent_path();
    if (!folder.empty() && !std::filesystem::is_directory(folder))
      throw io_error(file + ": cannot write, folder " + folder.string() + " does not exist");
  } catch (const std::exception& e) {
    gif_error_kind_ = ErrorKind::Io;
    gif_message_ = e.what();
    return false;
  }
  gif_progress_ = std::make_shared<WalkProgress>();  // a stopped walk's flag stays with it
  gif_frames_ = frames;
  RenderJob walk = view_->seed_walk(frames, gif_progress_);
  gif_renderer_.request([walk = std::move(walk), file] {
    Picture picture = walk();
    Video video;
    video.frames = picture.frames;
    video.fps = 8;
    write_gif(video, file);  // Error naming the file when it cannot be written
    return picture;
  });
  gif_running_ = true;
  gif_failed_ = false;
  gif_message_ = file;  // the file being written, until the result says how it went
  return true;
}

void Viewer::draw_gif_controls() {
  if (!view_->has_seed()) return;
  ImGui::BeginDisabled(gif_running_);
  if (ImGui::Button("Save GIF of a seed walk")) save_gif();
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::TextDisabled("(%d frames)", gif_frames_);
  if (gif_running_) {
    const int done = gif_progress_->done.load();
    const std::string text = done < gif_frames_
                                 ? "drawing the seed walk... " + std::to_string(done) + " of " +
                                       std::to_string(gif_frames_)
                                 : "writing GIF...";
    ImGui::ProgressBar(static_cast<float>(done) / gif_frames_, ImVec2(-60, 0), text.c_str());
    ImGui::SameLine();
    if (ImGui::Button("stop")) stop_gif();
  } else if (gif_failed_) {
    draw_error(gif_message_);
  } else if (!gif_message_.empty()) {
    ImGui::TextWrapped("%s", gif_message_.c_str());
  }
}

void Viewer::request() {
  if (RenderJob job = view_->render()) renderer_.request(std::move(job));
  quiet_frames_ = 0;
}

// Clips play at their rate; the texture changes only when the frame does.
void Viewer::show_frame(double now) {
  if (picture_.frames.empty()) return;
  const int count = static_cast<int>(picture_.frames.size());
  const int index =
      picture_.fps > 0 && count > 1 ? static_cast<int>(std::fmod(now * picture_.fps, count)) : 0;
  if (index == shown_frame_) return;
  shown_frame_ = index;
  texture_.upload(picture_.frames[index]);
}

void Viewer::draw_controls_window() {
  ImGui::SetNextWindowPos(ImVec2(10, 10), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(470, 700), ImGuiCond_FirstUseEver);
  ImGui::Begin("Model");
  ImGui::PushItemWidth(250);
  draw_model_panel(view_->info());
  ImGui::Separator();
  if (view_->draw_controls()) request();
  ImGui::Separator();
  if (!picture_.mask.empty()) {
    ImGui::Checkbox("show mask", &show_mask_);
    ImGui::SameLine();
    ImGui::SliderFloat("opacity", &mask_opacity_, 0.0f, 1.0f);
  }
  if (picture_.frames.size() > 1)
    ImGui::Text("frame %d of %zu at %.1f fps", shown_frame_ + 1, picture_.frames.size(),
                picture_.fps);
  draw_status(last_, renderer_.busy());
  draw_error(message_);
  ImGui::Separator();
  static const Image nothing;
  draw_capture(capture_, shown_frame_ >= 0 ? picture_.frames[shown_frame_] : nothing,
               view_->info().method);
  draw_gif_controls();
  ImGui::TextDisabled("drop a model file (.atl) to open it, a picture to use it");
  ImGui::TextDisabled("(atelier-viewer PICTURE.png samples a picture at once: patchnn)");
  ImGui::PopItemWidth();
  ImGui::End();
}

void Viewer::draw_picture_window() {
  ImGui::SetNextWindowPos(ImVec2(490, 10), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(600, 700), ImGuiCond_FirstUseEver);
  ImGui::Begin("Picture");
  if (!picture_.inputs.empty()) {
    ImGui::TextDisabled("from");
    for (const Texture& input : input_textures_) {  // each 96 px high
      ImGui::SameLine();
      ImGui::Image(input.id(), ImVec2(96.0f * input.width() / input.height(), 96));
    }
  }
  if (!texture_.empty() && !picture_.frames.empty()) {
    const ImVec2 room = ImGui::GetContentRegionAvail();
    const float zoom =
        std::max(0.1f, std::min(room.x / texture_.width(), room.y / texture_.height()));
    const ImVec2 size(texture_.width() * zoom, texture_.height() * zoom);
    const ImVec2 corner = ImGui::GetCursorScreenPos();
    ImGui::Image(texture_.id(), size);
    if (show_mask_ && !picture_.mask.empty() && !mask_texture_.empty())
      ImGui::GetWindowDrawList()->AddImage(
          mask_texture_.id(), corner, ImVec2(corner.x + size.x, corner.y + size.y), ImVec2(0, 0),
          ImVec2(1, 1), ImGui::GetColorU32(ImVec4(1, 1, 1, mask_opacity_)));
  }
  ImGui::End();
}

}  // namespace atelier::viewer
