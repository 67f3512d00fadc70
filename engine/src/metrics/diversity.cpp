// SinGAN's diversity: per-pixel std over generated samples, relative to the reference's std.
#include <torch/torch.h>

#include <cmath>
#include <string>

#include "atelier/error.h"
#include "atelier/metrics.h"
#include "core/guard.h"
#include "metrics/metric_tensors.h"

namespace atelier {
namespace {

// Running mean and std of all values of a sequence of tensors.
struct Moments {
  double sum = 0, sum_squares = 0, count = 0;

  void add(const torch::Tensor& values) {
    const auto v = values.to(torch::kDouble);
    sum += v.sum().item<double>();
    sum_squares += v.square().sum().item<double>();
    count += static_cast<double>(v.numel());
  }
  double std() const {
    const double mean = sum / count;
    return std::sqrt(std::max(0.0, sum_squares / count - mean * mean));
  }
};

// Sum over pixels of the std across the samples' frames at index `frame` (all one size).
double spread_sum(const std::vector<const Image*>& frames) {
  std::vector<torch::Tensor> batch;
  for (const Image* frame : frames) batch.push_back(metrics::unit_rgb(*frame));
  const auto values = torch::cat(batch).to(torch::kDouble);
  return values.std(0, /*unbiased=*/false).sum().item<double>();
}

double relative_to(double spread_mean, const Moments& reference, const std::string& what) {
  const double reference_std = reference.std();
  if (reference_std <= 0) throw bad_input(what + ": the reference is flat (its std is 0)");
  return spread_mean / reference_std;
}

}  // namespace

double diversity(const std::vector<Image>& samples, const Image& reference) {
  const std::string what = "diversity";
  if (samples.size() < 2) throw bad_input(what + ": needs at least 2 samples");
  for (const Image& sample : samples) metrics::require_same_size(sample, samples.front(), what);
  metrics::require_nonempty(reference, what + " (reference)");
  return guarded("computing " + what, [&] {
    std::vector<const Image*> frames;
    for (const Image& sample : samples) frames.push_back(&sample);
    const double values = 3.0 * samples.front().width * samples.front().height;
    Moments moments;
    moments.add(metrics::unit_rgb(reference));
    return relative_to(spread_sum(frames) / values, moments, what);
  });
}

double diversity(const std::vector<Video>& samples, const Video& reference) {
  const std::string what = "video diversity";
  if (samples.size() < 2) throw bad_input(what + ": needs at least 2 samples");
  for (const Video& sample : samples) {
    metrics::require_nonempty(sample, what);
    if (sample.frames.size() != samples.front().frames.size())
      throw bad_input(what + ": samples differ in frame count (" +
                      std::to_string(sample.frames.size()) + " and " +
                      std::to_string(samples.front().frames.size()) + ")");
    metrics::require_same_size(sample.frames.front(), samples.front().frames.front(), what);
  }
  metrics::require_nonempty(reference, what + " (reference)");
  return guarded("computing " + what, [&] {
    double spread = 0;
    for (std::size_t t = 0; t < samples.front().frames.size(); ++t) {
      std::vector<const Image*> frames;
      for (const Video& sample : samples) frames.push_back(&sample.frames[t]);
      spread += spread_sum(frames);
    }
    const double values = 3.0 * samples.front().width() * samples.front().height() *
                          static_cast<double>(samples.front().frames.size());
    Moments moments;
    for (const Image& frame : reference.frames) moments.add(metrics::unit_rgb(frame));
    return relative_to(spread / values, moments, what);
  });
}

}  // namespace atelier
