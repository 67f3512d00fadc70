// Space-time pyramids for patchnn. A picture is a volume of one frame: every tensor here is
// C x T x H x W (float, [-1, 1]), levels are listed coarsest first.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace atelier::patchnn {

struct VolumeSize {
  int frames = 1;
  int height = 0;
  int width = 0;

  std::int64_t pixels() const { return std::int64_t(frames) * height * width; }
  bool operator==(const VolumeSize& o) const {
    return frames == o.frames && height == o.height && width == o.width;
  }
  bool operator!=(const VolumeSize& o) const { return !(*this == o); }
  std::string text() const;  // "WxH" or "WxH x T frames"
};

VolumeSize size_of(const torch::Tensor& volume);  // C x T x H x W

// Resizes a volume: in space antialiased bicubic when shrinking and bilinear when growing (as
// core/pyramid.h), in time an average over each output frame's span when shrinking and linear
// interpolation when growing.
torch::Tensor resize_volume(const torch::Tensor& volume, const VolumeSize& to);

// Each level's size relative to the finest: `space` for height and width, `time` for frames.
struct LevelScale {
  double space = 1;
  double time = 1;
};

// The smallest sides a level may have: one patch.
struct LevelFloor {
  int side = 1;
  int frames = 1;
};

// Levels whose coarsest has a shorter side of about min_side (a ratio as close to `factor` as a
// whole number of levels allows): `short_side` is the finest's shorter side. One level when the
// finest is already that small.
std::vector<LevelScale> levels_to_min_side(int short_side, double factor, int min_side);

// `below` levels under the finest at ratio `factor`, fewer when a coarser level's shorter side
// would fall under `floor_side` (short_side: the smallest shorter side of the pictures involved).
std::vector<LevelScale> fixed_levels(int below, double factor, int short_side, int floor_side);

// Adds time scales to spatial ones: the coarsest has about min_frames of `frames`, each finer
// level 1 / time_factor times more, never more than the finest.
void add_time_scales(std::vector<LevelScale>& levels, int frames, double time_factor,
                     int min_frames);

// The sizes of every level for a volume whose finest level is `finest`, never under `floor`.
std::vector<VolumeSize> level_sizes(const VolumeSize& finest, const std::vector<LevelScale>& levels,
                                    const LevelFloor& floor);

// The volume resized to every size, coarsest first.
std::vector<torch::Tensor> build_levels(const torch::Tensor& volume,
                                        const std::vector<VolumeSize>& sizes);

}  // namespace atelier::patchnn
