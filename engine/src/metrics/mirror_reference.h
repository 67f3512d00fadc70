// The reference that the single-image methods' patch SWD is quoted against: the training image
// mirrored left-right has the same patches, flipped, so its SWD to the image is what "the same kind
// of patches, arranged anew" scores.
#pragma once

#include "atelier/image.h"
#include "atelier/metrics.h"
#include "atelier/video.h"

namespace atelier {

Image mirror_left_right(const Image& image);
Video mirror_left_right(const Video& clip);  // every frame

// patch_swd(mirror_left_right(real), real, options).mean
double mirrored_swd(const Image& real, const SwdOptions& options = {});

}  // namespace atelier
