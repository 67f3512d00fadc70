// The viewer's view of one model: its controls and its render job, one implementation per method
// (panels/*_panel.cpp), chosen by the method the model file names.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "atelier/compute.h"
#include "atelier/error.h"
#include "atelier/image.h"
#include "atelier/model_file.h"
#include "latest_renderer.h"

namespace atelier::viewer {

// How far a seed walk is, shared between the window and the job drawing it.
struct WalkProgress {
  std::atomic<int> done{0};
  std::atomic<bool> stop{false};
  // After each picture: counts it; Error(Cancelled) when the window asked to stop.
  void count() {
    ++done;
    if (stop) throw cancelled("the seed walk was stopped");
  }
};

class ModelView {
 public:
  virtual ~ModelView() = default;

  virtual const ModelInfo& info() const = 0;
  // Draws the method's ImGui controls; true when the picture to draw changed.
  virtual bool draw_controls() = 0;
  // A job drawing the current controls' picture, with copies of the settings and the model, so
  // that the controls may change while it runs. Empty when there is nothing to draw yet (a
  // transfer still waiting for its pictures).
  virtual RenderJob render() const = 0;
  // Sets a control by name as text (--set NAME=VALUE). Error(Usage) naming the control for an
  // unknown name or a bad value; Error(BadInput) for a picture that cannot be read.
  virtual void set_control(const std::string& name, const std::string& value) = 0;
  // A picture file dropped on the window; false when this model takes no pictures.
  virtual bool drop_picture(const std::string& path) = 0;

  // Whether the view has a seed, and so a seed walk (Save GIF).
  virtual bool has_seed() const { return false; }
  // A job drawing `frames` pictures walking between seeds from the current controls (singan:
  // seed A to seed B; the others: consecutive seeds), all the size of the current picture. It
  // counts the pictures drawn in progress->done and ends with Error(Cancelled) once
  // progress->stop is set. Empty for a view without a seed.
  virtual RenderJob seed_walk(int /*frames*/, std::shared_ptr<WalkProgress> /*progress*/) const {
    return {};
  }
};

// Loads the model file at `path` and its view; a file that is no model but a picture the engine
// reads opens the instant (patchnn) view of that picture. Error(BadInput) naming the file when it
// is neither, or a model of a method the viewer does not show (padain writes none).
std::unique_ptr<ModelView> open_model_view(const std::string& path, const ComputeOptions& compute);

// ---- Small helpers shared by the panels ----

// Control values given as text; Error(Usage) naming the control when the text is not a number.
int parse_int(const std::string& name, const std::string& value);
double parse_double(const std::string& name, const std::string& value);
Error unknown_control(const std::string& name, const std::string& known);

// A picture input: a path field (Enter loads it) and the loaded picture.
class PictureSlot {
 public:
  // Throws Error(BadInput) naming the file when it cannot be read; the slot keeps its picture.
  void load(const std::string& path);
  // The path field; true when a new picture was loaded. A bad file is shown in red below it.
  bool draw(const char* label);
  bool empty() const { return picture_.empty(); }
  const Image& picture() const { return picture_; }
  void set(const Image& picture, const std::string& label);

 private:
  char path_[1024] = {};
  Image picture_;
  std::string error_;
};

}  // namespace atelier::viewer
