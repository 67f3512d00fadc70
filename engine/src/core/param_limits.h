// Limits shared by the methods' parameter ranges (see each methods/<id>/params.cpp).
#pragma once

#include <cmath>
#include <limits>
#include <string>

#include "atelier/error.h"
#include "atelier/image.h"
#include "atelier/preset.h"

namespace atelier {

// More scales than this is never a sensible pyramid: SinGAN uses 9, ConSinGAN 6.
constexpr int kMaxPyramidScales = 32;
// Loss weights beyond this only make the losses overflow (the papers use 0.001 to 10).
constexpr double kMaxLossWeight = 1e4;

// A painting smaller than this a side is a flat colour or two once resized to a model's scale:
// it gives the picture no layout.
constexpr int kMinPaintingSide = 8;

// Error(BadInput) "<method>: the painting is 1x1 px; ..." for a painting below kMinPaintingSide.
inline void require_painting_size(const Image& painting, const std::string& method) {
  if (painting.width >= kMinPaintingSide && painting.height >= kMinPaintingSide) return;
  throw bad_input(method + ": the painting is " + std::to_string(painting.width) + "x" +
                  std::to_string(painting.height) + " px; it needs at least " +
                  std::to_string(kMinPaintingSide) + "x" + std::to_string(kMinPaintingSide) +
                  " px to give the picture a layout");
}

// The most scales a pyramid from max_size down to min_size takes at scale_factor (in (0, 1)),
// as pyramid_sizes() counts them for the largest image; large for a factor close to 1.
inline int pyramid_scale_bound(int min_size, int max_size, double scale_factor) {
  if (min_size >= max_size) return 1;
  const double steps = std::log(double(min_size) / max_size) / std::log(scale_factor);
  return steps < std::numeric_limits<int>::max() - 1 ? 1 + static_cast<int>(std::ceil(steps))
                                                     : std::numeric_limits<int>::max();
}

// With scales 0 the pyramid follows scale_factor: refuses a factor so close to 1 that the
// pyramid would have more than kMaxPyramidScales scales.
inline void require_pyramid_scale_count(const ParamReader& r, int min_size, int max_size,
                                        double scale_factor, int scales) {
  const int bound = pyramid_scale_bound(min_size, max_size, scale_factor);
  r.require(scales > 0 || bound <= kMaxPyramidScales,
            {"scale_factor", "min_size", "max_size", "scales"},
            "scale_factor " + std::to_string(scale_factor) + " would make " +
                std::to_string(bound) + " scales from " + std::to_string(max_size) + " down to " +
                std::to_string(min_size) + " px; at most " + std::to_string(kMaxPyramidScales) +
                " are allowed (use a smaller scale_factor or set scales)");
}

}  // namespace atelier
