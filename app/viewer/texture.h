// An image in an OpenGL texture, for ImGui::Image.
#pragma once

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <cstdint>
#include <utility>

#include "atelier/image.h"

namespace atelier::viewer {

// An RGB or RGBA image in an OpenGL texture, replaced in place when a new image arrives.
class Texture {
 public:
  Texture() = default;
  Texture(const Texture&) = delete;
  Texture& operator=(const Texture&) = delete;
  Texture(Texture&& other) noexcept
      : id_(std::exchange(other.id_, 0)), width_(other.width_), height_(other.height_) {}
  ~Texture() {
    if (id_) glDeleteTextures(1, &id_);
  }
  void upload(const Image& image) {
    if (!id_) glGenTextures(1, &id_);
    glBindTexture(GL_TEXTURE_2D, id_);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);  // rows are tightly packed, any width
    const GLenum format = image.channels == 4 ? GL_RGBA : GL_RGB;
    glTexImage2D(GL_TEXTURE_2D, 0, format, image.width, image.height, 0, format, GL_UNSIGNED_BYTE,
                 image.pixels.data());
    width_ = image.width;
    height_ = image.height;
  }
  bool empty() const { return id_ == 0; }
  ImTextureID id() const { return reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(id_)); }
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  GLuint id_ = 0;
  int width_ = 0, height_ = 0;
};

}  // namespace atelier::viewer
