// oneshot's inputs as tensors: the B set, the single A image and its augmentations.
#pragma once

#include <torch/types.h>

#include <vector>

#include "atelier/oneshot.h"

namespace atelier::oneshot {

// size x size RGB: centre-cropped and resized when needed.
Image fit_image(const Image& image, int size);

// The random changes of the A image (OneshotParams' augmentation keys).
struct AugmentRange {
  double max_rotation_deg = 0;
  double max_zoom = 0;
  double max_shift = 0;  // fraction of the side
  bool flip = false;
};
AugmentRange augment_range(const OneshotParams& params);

// n copies of `image` (1 x 3 x S x S, float in [-1, 1]), each turned, zoomed, shifted (and
// flipped) at random within `range`; the border pixels fill what comes into view.
torch::Tensor augmented_copies(const torch::Tensor& image, int n, const AugmentRange& range);

}  // namespace atelier::oneshot
