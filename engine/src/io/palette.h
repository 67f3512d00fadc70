// Colour quantisation for GIF export: a median-cut palette and a fast exact nearest-colour lookup.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace atelier::io {

using Rgb = std::array<std::uint8_t, 3>;

// Up to `colors` representative colours of `samples` (fewer when the samples hold fewer distinct
// colours). Boxes in RGB space are split at the median of their widest axis, always splitting the
// box with the largest squared error, so that busy regions of colour space get more entries.
std::vector<Rgb> median_cut_palette(std::vector<Rgb> samples, int colors);

// Index of the nearest palette colour (squared RGB distance), cached per 24-bit colour.
class NearestColor {
 public:
  explicit NearestColor(const std::vector<Rgb>& palette);
  std::uint8_t operator()(std::uint8_t r, std::uint8_t g, std::uint8_t b);

 private:
  std::uint8_t search(int r, int g, int b) const;

  std::vector<Rgb> sorted_;                 // palette sorted by red, for a pruned search
  std::vector<std::uint8_t> sorted_index_;  // position in the caller's palette
  std::vector<std::uint8_t> cache_;         // 2^24 entries, valid where known_ has the bit
  std::vector<std::uint64_t> known_;
};

}  // namespace atelier::io
