#include "metrics/mirror_reference.h"

#include <algorithm>

namespace atelier {

Image mirror_left_right(const Image& image) {
  Image out = image;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      std::copy_n(image.at(image.width - 1 - x, y), image.channels, out.at(x, y));
    }
  }
  return out;
}

Video mirror_left_right(const Video& clip) {
  Video out = clip;
  for (Image& frame : out.frames) frame = mirror_left_right(frame);
  return out;
}

double mirrored_swd(const Image& real, const SwdOptions& options) {
  return patch_swd(mirror_left_right(real), real, options).mean;
}

}  // namespace atelier
