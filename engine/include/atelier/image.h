// atelier/image.h — 8-bit images in plain memory, and their files.
//
// Pixels are interleaved, rows tightly packed (stride = width * channels), channel order RGB(A).
// The engine works in RGB; load_image() always returns 3 channels unless asked to keep the file's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace atelier {

struct Image {
  int width = 0;
  int height = 0;
  int channels = 0;                   // 1 grey, 3 RGB, 4 RGBA
  std::vector<std::uint8_t> pixels;   // height * width * channels bytes

  Image() = default;
  Image(int w, int h, int c, std::uint8_t fill = 0);

  bool empty() const { return width == 0 || height == 0; }
  std::size_t stride() const { return static_cast<std::size_t>(width) * channels; }
  std::uint8_t* row(int y) { return pixels.data() + y * stride(); }
  const std::uint8_t* row(int y) const { return pixels.data() + y * stride(); }
  std::uint8_t* at(int x, int y) { return row(y) + x * channels; }
  const std::uint8_t* at(int x, int y) const { return row(y) + x * channels; }
};

// Reads PNG, JPEG, BMP or WebP. Grey is expanded and alpha composited over white to give RGB,
// unless keep_channels is set (then 1, 3 or 4 channels as stored). Throws Error(BadInput) naming
// the file for a missing, unreadable, corrupt or empty file.
Image load_image(const std::string& path, bool keep_channels = false);

// Decodes an image held in memory; `name` is used in error messages.
Image decode_image(const std::vector<std::uint8_t>& bytes, const std::string& name,
                   bool keep_channels = false);

// Writes PNG or JPEG (by extension; .jpg/.jpeg quality 95), BMP also accepted. The file is written
// to a temporary name and renamed, so an existing file is never left half-written.
void save_image(const Image& image, const std::string& path);

std::vector<std::uint8_t> encode_png(const Image& image);

// Conversions and geometry on plain images (area filter when shrinking, cubic when growing).
Image to_rgb(const Image& image);
Image resize_image(const Image& image, int width, int height);
// Scales the short side to `size` and crops the centre to size x size.
Image center_crop_square(const Image& image, int size);
// Scales so that the longer side is at most `max_side` (no change if already smaller).
Image fit_within(const Image& image, int max_side);

// Images side by side (rows of `columns`), with `gap` pixels of `background` between them.
Image make_grid(const std::vector<Image>& images, int columns, int gap = 2,
                std::uint8_t background = 255);

bool is_image_file_name(const std::string& path);  // by extension: png jpg jpeg bmp webp

}  // namespace atelier
