// Colour statistics: brightness, contrast and saturation of an image or of a whole video.
#include <torch/torch.h>

#include "atelier/metrics.h"
#include "metrics/metric_tensors.h"

namespace atelier {
namespace {

ColourStats stats_of(const torch::Tensor& rgb) {  // N x 3 x H x W in [0, 1]
  const torch::Tensor luma = metrics::luminance(rgb);
  const torch::Tensor chroma = std::get<0>(rgb.max(1)) - std::get<0>(rgb.min(1));
  ColourStats s;
  s.brightness = luma.mean().item<double>();
  s.contrast = luma.std(/*unbiased=*/false).item<double>();
  s.saturation = chroma.mean().item<double>();
  return s;
}

}  // namespace

ColourStats colour_stats(const Image& image) {
  metrics::require_nonempty(image, "colour statistics");
  return stats_of(metrics::unit_rgb(image));
}

ColourStats colour_stats(const Video& video) {
  metrics::require_nonempty(video, "colour statistics");
  return stats_of(metrics::unit_rgb(video.frames));
}

}  // namespace atelier
