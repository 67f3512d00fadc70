#include "core/pyramid.h"

#include <torch/nn/functional/upsampling.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "atelier/error.h"

namespace atelier {
namespace {

// Exponents e_i (coarsest first) such that scale i is the finest size times r^e_i.
std::vector<double> scale_exponents(int count, bool uneven) {
  std::vector<double> e(count);
  const int last = count - 1;
  for (int i = 0; i < count; ++i) e[i] = last - i;
  if (uneven && last >= 2) {
    // ConSinGAN's spacing: exponents follow log(last - i), so neighbouring coarse scales sit close
    // together and the finest step is the largest one. The coarsest stays at `last`.
    for (int i = 0; i < last; ++i) {
      e[i] = 1.0 + (last - 1) * std::log(static_cast<double>(last - i)) / std::log(last);
    }
    e[last] = 0;
  }
  return e;
}

int scaled(int side, double factor) {
  return std::max(1, static_cast<int>(std::lround(side * factor)));
}

}  // namespace

ScaleSize finest_size(int width, int height, const PyramidSpec& spec) {
  if (width <= 0 || height <= 0) throw bad_input("pyramid: the image is empty");
  if (spec.max_size <= 0) throw usage_error("pyramid: max_size must be positive");
  const double shrink = std::min(1.0, spec.max_size / static_cast<double>(std::max(width, height)));
  return {scaled(width, shrink), scaled(height, shrink)};
}

std::vector<ScaleSize> pyramid_sizes(int width, int height, const PyramidSpec& spec) {
  if (spec.min_size <= 0) throw usage_error("pyramid: min_size must be positive");
  if (spec.scales <= 0 && !(spec.scale_factor > 0 && spec.scale_factor < 1)) {
    throw usage_error("pyramid: scale_factor must lie in (0, 1), not " +
                      std::to_string(spec.scale_factor));
  }
  const ScaleSize finest = finest_size(width, height, spec);
  const int short_side = std::min(finest.width, finest.height);
  if (short_side < spec.min_size) {
    throw bad_input("the image is " + std::to_string(width) + "x" + std::to_string(height) +
                    " px (" + std::to_string(finest.width) + "x" + std::to_string(finest.height) +
                    " after fitting into " + std::to_string(spec.max_size) +
                    " px); its shorter side must be at least " + std::to_string(spec.min_size) +
                    " px");
  }
  const double ratio = static_cast<double>(spec.min_size) / short_side;  // coarsest / finest
  int count = spec.scales;
  if (count <= 0) {
    const double steps = std::log(ratio) / std::log(spec.scale_factor);
    count = 1 + static_cast<int>(std::ceil(steps - 1e-6));
  }
  if (count == 1 || ratio >= 1.0) return std::vector<ScaleSize>(count, finest);

  const double r = std::pow(ratio, 1.0 / (count - 1));  // the factor actually used
  std::vector<ScaleSize> sizes;
  sizes.reserve(count);
  for (double e : scale_exponents(count, spec.uneven)) {
    const double f = std::pow(r, e);
    sizes.push_back({scaled(finest.width, f), scaled(finest.height, f)});
  }
  return sizes;
}

torch::Tensor resize_tensor(const torch::Tensor& image, int width, int height) {
  const auto h = image.size(-2), w = image.size(-1);
  if (h == height && w == width) return image;
  namespace F = torch::nn::functional;
  auto options =
      F::InterpolateFuncOptions().size(std::vector<int64_t>{height, width}).align_corners(false);
  if (width < w || height < h) {
    options.mode(torch::kBicubic).antialias(true);
  } else {
    options.mode(torch::kBilinear);
  }
  return F::interpolate(image, options);
}

std::vector<torch::Tensor> build_pyramid(const torch::Tensor& image,
                                         const std::vector<ScaleSize>& sizes) {
  std::vector<torch::Tensor> levels;
  levels.reserve(sizes.size());
  for (const ScaleSize& s : sizes) {
    levels.push_back(resize_tensor(image, s.width, s.height).clamp(-1, 1).contiguous());
  }
  return levels;
}

std::vector<ScaleSize> retarget_sizes(const std::vector<ScaleSize>& sizes, int width, int height) {
  if (sizes.empty()) return {};
  if (width <= 0 || height <= 0) throw usage_error("retargeting: the size must be positive");
  const double fx = static_cast<double>(width) / sizes.back().width;
  const double fy = static_cast<double>(height) / sizes.back().height;
  std::vector<ScaleSize> out;
  out.reserve(sizes.size());
  for (const ScaleSize& s : sizes) out.push_back({scaled(s.width, fx), scaled(s.height, fy)});
  out.back() = {width, height};
  return out;
}

std::vector<ProgressClock::Stage> pyramid_training_stages(const std::vector<ScaleSize>& sizes,
                                                          int train_depth,
                                                          std::int64_t iterations) {
  std::vector<ProgressClock::Stage> stages;
  const int scales = static_cast<int>(sizes.size());
  for (int k = 0; k < scales; ++k) {
    double cost = 32 * 32;
    for (int j = std::max(0, k - train_depth + 1); j <= k; ++j) {
      cost += static_cast<double>(sizes[j].width) * sizes[j].height;
    }
    stages.push_back({"train", k + 1, iterations, cost});
  }
  return stages;
}

}  // namespace atelier
