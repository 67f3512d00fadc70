// Temporal consistency: how much a video changes from one frame to the next.
#include <cstdlib>

#include "atelier/error.h"
#include "atelier/metrics.h"
#include "metrics/metric_tensors.h"

namespace atelier {

double temporal_consistency(const Video& video) {
  metrics::require_nonempty(video, "temporal consistency");
  if (video.frames.size() < 2) return 0.0;
  // Plain byte arithmetic: exact, and no need to hold the whole video as floats.
  double total = 0, count = 0;
  for (std::size_t t = 1; t < video.frames.size(); ++t) {
    const Image& before = video.frames[t - 1];
    const Image& after = video.frames[t];
    if (before.channels != after.channels)
      throw bad_input("temporal consistency: frames " + std::to_string(t - 1) + " and " +
                      std::to_string(t) + " differ in channel count");
    std::uint64_t sum = 0;
    const std::size_t bytes = before.stride() * before.height;
    for (std::size_t i = 0; i < bytes; ++i)
      sum += static_cast<std::uint64_t>(std::abs(int(after.pixels[i]) - int(before.pixels[i])));
    total += static_cast<double>(sum);
    count += static_cast<double>(bytes);
  }
  return total / count / 255.0;
}

}  // namespace atelier
