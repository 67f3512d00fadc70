// atelier/metrics.h — measures of image and video generation quality, without pretrained networks.
//
// All functions are deterministic (random parts take a seed), run on the CPU, and throw
// Error(BadInput) naming the argument for empty inputs or inputs of mismatched sizes. Images may be
// grey, RGB or RGBA (grey is replicated, alpha composited over white, as everywhere in the engine).
#pragma once

#include <cstdint>
#include <vector>

#include "atelier/image.h"
#include "atelier/video.h"

namespace atelier {

// ---- Pixel fidelity (two images of one size) ----

// Peak signal-to-noise ratio in dB over all RGB values on the 0..255 scale; +infinity when equal.
double psnr(const Image& a, const Image& b);

// Structural similarity (Wang et al. 2004) on BT.601 luminance (0..255), Gaussian 11x11 window with
// sigma 1.5, K1 0.01, K2 0.03, averaged over the 'valid' window positions. 1 for equal images.
// Both sides must be at least 11 px.
double ssim(const Image& a, const Image& b);

// ---- Patch statistics: sliced Wasserstein distance (Karras et al. 2018, progressive GANs) ----
//
// Each image is split into a Laplacian pyramid (5-tap binomial filter, finest level first, down to
// a short side of about `min_level_size`). On each level, 7x7 RGB neighbourhoods (videos: `frames`
// x 7 x 7) are taken at all positions, or at `max_patches` seeded random ones when there are more.
// Each set of patches is normalised per colour channel to zero mean and unit std, projected on
// `directions` seeded random unit vectors, and the sorted projections are compared (mean absolute
// difference, i.e. the 1-D Wasserstein-1 distance averaged over directions). Sets of different
// sizes are compared through their quantile functions, resampled to the larger count.
// Papers print these values x 1000. The result is symmetric in its two arguments.
struct SwdOptions {
  int patch_size = 7;
  int min_level_size = 16;  // the coarsest level keeps a short side of at least this
  int max_levels = 0;       // 0: as many as min_level_size allows
  int max_patches = 8192;   // per level and per side (shared among the images of a set)
  int directions = 512;     // random projections per level
  std::uint64_t seed = 1;
};

struct SwdLevel {
  int width = 0;  // size of this level for the first image of `a`
  int height = 0;
  int patches = 0;  // patches compared per side (after resampling to equal counts)
  double distance = 0;
};

struct SwdResult {
  std::vector<SwdLevel> levels;  // finest first
  double mean = 0;               // mean over levels
};

SwdResult patch_swd(const Image& a, const Image& b, const SwdOptions& options = {});
// Sets: every image adds patches to its side's pool; sizes may differ. Levels are matched by how
// many times they were halved; the level count is the smallest any image allows.
SwdResult patch_swd(const std::vector<Image>& a, const std::vector<Image>& b,
                    const SwdOptions& options = {});

struct VideoSwdOptions {
  SwdOptions spatial;  // pyramid, patch size, counts, directions and seed, as for images
  int frames = 3;      // temporal extent of a patch (clipped to the shorter video's length)
};

// Spatio-temporal patch SWD: each frame has its spatial Laplacian pyramid; patches span `frames`
// consecutive frames of a level. Sizes and lengths of the two videos may differ.
SwdResult video_patch_swd(const Video& a, const Video& b, const VideoSwdOptions& options = {});

// ---- Diversity (Shaham et al. 2019, SinGAN) ----

// Mean over pixels and RGB channels of the std (over the N samples) of each value, divided by the
// std of all values of the reference. 0 for identical samples. Needs N >= 2 samples of one size;
// the reference may have another size.
double diversity(const std::vector<Image>& samples, const Image& reference);
// The same over all frames: samples share size and frame count; the reference's std is taken over
// all of its frames.
double diversity(const std::vector<Video>& samples, const Video& reference);

// ---- Structure ----

// How well `output` keeps the layout of `structure_source`: both are reduced (area filter) to the
// source's aspect with a long side of `long_side` px, turned into BT.601 luminance, and their Sobel
// gradient magnitudes are compared by Pearson correlation. Magnitudes (not signed gradients) make
// the score blind to changes of colour or contrast polarity that keep edges in place, which is
// what structure-from-one, appearance-from-another methods do. In [-1, 1]; 1 for the same image,
// near 0 for unrelated ones; 0 when either gradient field is constant.
double structure_score(const Image& output, const Image& structure_source, int long_side = 32);

// ---- Colour ----

// The overall look of a picture, for telling washed-out or dull output from its source.
struct ColourStats {
  double brightness = 0;  // mean BT.601 luma, [0, 1]
  double contrast = 0;    // std of the luma over all pixels
  double saturation = 0;  // mean over pixels of max(R, G, B) - min(R, G, B), [0, 1]
};
ColourStats colour_stats(const Image& image);
// Over all frames together.
ColourStats colour_stats(const Video& video);

// ---- Time ----

// Mean absolute change between consecutive frames, over all pixels and RGB channels, in [0, 1]
// pixel units (0: a still video). 0 for a single frame.
double temporal_consistency(const Video& video);

}  // namespace atelier
