#include "methods/patchnn/volume_pyramid.h"

#include <torch/nn/functional/pooling.h>
#include <torch/nn/functional/upsampling.h>

#include <algorithm>
#include <cmath>

#include "core/pyramid.h"

namespace atelier::patchnn {
namespace {

namespace F = torch::nn::functional;

int scaled(int side, double factor, int floor) {
  return std::max(floor, static_cast<int>(std::lround(side * factor)));
}

// C x T x H x W resized along T only.
torch::Tensor resize_time(const torch::Tensor& volume, int frames) {
  const auto c = volume.size(0), t = volume.size(1), h = volume.size(2), w = volume.size(3);
  if (t == frames) return volume;
  // Frames become the last axis of a 1-D signal per pixel and channel.
  const torch::Tensor signal = volume.permute({0, 2, 3, 1}).reshape({1, c * h * w, t});
  torch::Tensor out;
  if (frames < t) {
    out = F::adaptive_avg_pool1d(signal, F::AdaptiveAvgPool1dFuncOptions(frames));
  } else {
    out = F::interpolate(signal, F::InterpolateFuncOptions()
                                     .size(std::vector<std::int64_t>{frames})
                                     .mode(torch::kLinear)
                                     .align_corners(false));
  }
  return out.reshape({c, h, w, frames}).permute({0, 3, 1, 2}).contiguous();
}

}  // namespace

std::string VolumeSize::text() const {
  std::string s = std::to_string(width) + "x" + std::to_string(height);
  if (frames != 1) s += " x " + std::to_string(frames) + " frames";
  return s;
}

VolumeSize size_of(const torch::Tensor& volume) {
  return {static_cast<int>(volume.size(1)), static_cast<int>(volume.size(2)),
          static_cast<int>(volume.size(3))};
}

torch::Tensor resize_volume(const torch::Tensor& volume, const VolumeSize& to) {
  const VolumeSize from = size_of(volume);
  if (from == to) return volume;
  torch::Tensor out = volume;
  // Shrinking in time first and growing in time last keeps the spatial resize small.
  if (to.frames < from.frames) out = resize_time(out, to.frames);
  if (to.height != from.height || to.width != from.width) {
    // Frames as a batch: N x C x H x W for the 2-D resize.
    out = resize_tensor(out.permute({1, 0, 2, 3}), to.width, to.height)
              .permute({1, 0, 2, 3})
              .contiguous();
  }
  if (to.frames > from.frames) out = resize_time(out, to.frames);
  return out.clamp(-1, 1);
}

std::vector<LevelScale> levels_to_min_side(int short_side, double factor, int min_side) {
  if (short_side <= min_side) return {LevelScale{}};
  const double ratio = double(min_side) / short_side;  // coarsest / finest
  const int count = 1 + static_cast<int>(std::ceil(std::log(ratio) / std::log(factor) - 1e-6));
  const double r = std::pow(ratio, 1.0 / std::max(1, count - 1));
  std::vector<LevelScale> levels(count);
  for (int i = 0; i < count; ++i) levels[i].space = std::pow(r, count - 1 - i);
  return levels;
}

std::vector<LevelScale> fixed_levels(int below, double factor, int short_side, int floor_side) {
  while (below > 0 && short_side * std::pow(factor, below) < floor_side) --below;
  std::vector<LevelScale> levels(below + 1);
  for (int i = 0; i <= below; ++i) levels[i].space = std::pow(factor, below - i);
  return levels;
}

void add_time_scales(std::vector<LevelScale>& levels, int frames, double time_factor,
                     int min_frames) {
  const int count = static_cast<int>(levels.size());
  const double floor = std::min(1.0, double(min_frames) / frames);
  for (int i = 0; i < count; ++i)
    levels[i].time = std::clamp(std::pow(time_factor, count - 1 - i), floor, 1.0);
}

std::vector<VolumeSize> level_sizes(const VolumeSize& finest, const std::vector<LevelScale>& levels,
                                    const LevelFloor& floor) {
  std::vector<VolumeSize> sizes;
  sizes.reserve(levels.size());
  for (const LevelScale& s : levels) {
    sizes.push_back({scaled(finest.frames, s.time, std::min(floor.frames, finest.frames)),
                     scaled(finest.height, s.space, std::min(floor.side, finest.height)),
                     scaled(finest.width, s.space, std::min(floor.side, finest.width))});
  }
  sizes.back() = finest;
  return sizes;
}

std::vector<torch::Tensor> build_levels(const torch::Tensor& volume,
                                        const std::vector<VolumeSize>& sizes) {
  std::vector<torch::Tensor> levels;
  levels.reserve(sizes.size());
  for (const VolumeSize& s : sizes) levels.push_back(resize_volume(volume, s).contiguous());
  return levels;
}

}  // namespace atelier::patchnn
