#include "model_view.h"

#include <imgui.h>

#include <cstring>
#include <stdexcept>

#include "panels/panels.h"
#include "viewer_panels.h"

namespace atelier::viewer {

std::unique_ptr<ModelView> open_model_view(const std::string& path, const ComputeOptions& compute) {
  std::string method;
  try {
    method = inspect_model(path).method;  // Error(BadInput) naming the file
  } catch (const Error& not_a_model) {
    if (not_a_model.kind() != ErrorKind::BadInput && not_a_model.kind() != ErrorKind::Io) throw;
    // Not a model: a picture opens the instant view. A file named as a picture gets the
    // picture's error, anything else the model's.
    Image picture;
    try {
      picture = load_image(path);
    } catch (const Error&) {
      if (is_image_file_name(path)) throw;
      throw not_a_model;
    }
    return make_patchnn_view(path, std::move(picture), compute);
  }
  if (method == "singan") return make_singan_view(path, compute);
  if (method == "analogy") return make_analogy_view(path, compute);
  if (method == "videogen") return make_videogen_view(path, compute);
  if (method == "disentangle") return make_disentangle_view(path, compute);
  if (method == "masktransfer") return make_masktransfer_view(path, compute);
  if (method == "oneshot") return make_oneshot_view(path, compute);
  throw bad_input(path + ": a " + method +
                  " model; the viewer shows singan, analogy, videogen, disentangle, "
                  "masktransfer and oneshot models, and pictures (patchnn)");
}

namespace {

// `value` read whole by `read` (std::stoi, std::stod), else Error(Usage) saying it is not `what`.
template <typename Read>
auto parse_number(const std::string& name, const std::string& value, const char* what, Read read) {
  std::size_t used = 0;
  try {
    const auto number = read(value, &used);
    if (used == value.size()) return number;
  } catch (const std::logic_error&) {
  }
  throw usage_error("control " + name + ": '" + value + "' is not " + what);
}

}  // namespace

int parse_int(const std::string& name, const std::string& value) {
  return parse_number(
      name, value, "a whole number",
      [](const std::string& text, std::size_t* used) { return std::stoi(text, used); });
}

double parse_double(const std::string& name, const std::string& value) {
  return parse_number(name, value, "a number", [](const std::string& text, std::size_t* used) {
    return std::stod(text, used);
  });
}

Error unknown_control(const std::string& name, const std::string& known) {
  return usage_error("unknown control '" + name + "' (this model has: " + known + ")");
}

void PictureSlot::load(const std::string& path) {
  picture_ = load_image(path);
  error_.clear();
  std::strncpy(path_, path.c_str(), sizeof(path_) - 1);
}

void PictureSlot::set(const Image& picture, const std::string& label) {
  picture_ = picture;
  error_.clear();
  std::strncpy(path_, label.c_str(), sizeof(path_) - 1);
}

bool PictureSlot::draw(const char* label) {
  bool loaded = false;
  if (ImGui::InputText(label, path_, sizeof(path_), ImGuiInputTextFlags_EnterReturnsTrue)) {
    try {
      load(std::string(path_));
      loaded = true;
    } catch (const std::exception& e) {
      error_ = e.what();
    }
  }
  draw_error(error_);
  return loaded;
}

}  // namespace atelier::viewer
