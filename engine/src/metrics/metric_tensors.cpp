#include "metrics/metric_tensors.h"

#include <torch/torch.h>

#include "atelier/error.h"
#include "core/tensor_image.h"

namespace atelier::metrics {

torch::Tensor unit_rgb(const Image& image) {
  return (image_to_tensor(image) + 1) * 0.5;
}

torch::Tensor unit_rgb(const std::vector<Image>& images) {
  return (images_to_tensor(images) + 1) * 0.5;
}

torch::Tensor luminance(const torch::Tensor& rgb) {
  const auto weights = torch::tensor({0.299f, 0.587f, 0.114f}, rgb.options()).view({1, 3, 1, 1});
  return (rgb * weights).sum(1, /*keepdim=*/true);
}

static std::string size_text(const Image& image) {
  return std::to_string(image.width) + "x" + std::to_string(image.height);
}

void require_nonempty(const Image& image, const std::string& what) {
  if (image.empty() || image.pixels.size() < image.stride() * image.height)
    throw bad_input(what + ": empty image");
}

void require_nonempty(const Video& video, const std::string& what) {
  if (video.empty()) throw bad_input(what + ": video has no frames");
  for (const Image& frame : video.frames) {
    require_nonempty(frame, what);
    if (frame.width != video.width() || frame.height != video.height())
      throw bad_input(what + ": frames of different sizes (" + size_text(frame) + " and " +
                      size_text(video.frames.front()) + ")");
  }
}

void require_same_size(const Image& a, const Image& b, const std::string& what) {
  require_nonempty(a, what);
  require_nonempty(b, what);
  if (a.width != b.width || a.height != b.height)
    throw bad_input(what + ": images differ in size (" + size_text(a) + " and " + size_text(b) +
                    ")");
}

}  // namespace atelier::metrics
