// Reads an image's size from the first bytes of a PNG, JPEG, BMP or WebP file without decoding it,
// so that a file claiming a gigantic size can be refused before any pixel buffer is allocated.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace atelier::io {

struct ImageSize {
  std::int64_t width = 0;
  std::int64_t height = 0;
};

std::optional<ImageSize> sniff_image_size(const std::uint8_t* data, std::size_t size);

// True for a JPEG whose last scan never reaches the end-of-image marker (a cut-off download):
// libjpeg would silently fill the missing part with grey.
bool jpeg_is_truncated(const std::uint8_t* data, std::size_t size);
bool looks_like_jpeg(const std::uint8_t* data, std::size_t size);

// A PNG's bytes without its embedded colour profile (iCCP chunk), which OpenCV does not use: for
// the many files whose profile libpng finds wrong, libpng prints a warning of its own on stderr.
// Empty when there is nothing to remove (not a PNG, or no profile).
std::vector<std::uint8_t> png_without_colour_profile(const std::uint8_t* data, std::size_t size);

}  // namespace atelier::io
