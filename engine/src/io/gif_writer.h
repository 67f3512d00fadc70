// Animated GIF export with options beyond the public write_gif(video, path).
#pragma once

#include <string>

#include "atelier/video.h"

namespace atelier::io {

struct GifOptions {
  int colors = 256;     // palette size, 2..256
  bool dither = false;  // ordered (4x4 Bayer) dithering: smoother gradients, noisier flat areas
};

void write_gif(const Video& video, const std::string& path, const GifOptions& options);

}  // namespace atelier::io
