// atelier/singan.h — single-image generation (SinGAN / ConSinGAN family).
//
// A pyramid of small fully convolutional patch GANs learns the patch statistics of one image,
// coarse to fine. Each scale's generator refines the upsampled output of the coarser scale, fed
// with noise scaled by that scale's noise amplitude. The trained model draws new images of the same
// kind at the training size or any other size, interpolates and animates them, and turns a rough
// painting into an image made of the training image's patches.
//
// Scales are numbered 0 (coarsest) to scales() - 1 (finest) in this API.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "atelier/bench.h"
#include "atelier/compute.h"
#include "atelier/image.h"
#include "atelier/job.h"
#include "atelier/metrics.h"
#include "atelier/model_file.h"
#include "atelier/preset.h"
#include "atelier/video.h"

namespace atelier {

// Every field is a key of the preset's "params" (same name); all are required in a preset file.
// The defaults are SinGAN's published settings.
struct SinganParams {
  // Pyramid.
  int max_size = 250;          // longer side of the finest scale; larger images are shrunk
  int min_size = 25;           // shorter side of the coarsest scale; smaller images are refused
  double scale_factor = 0.75;  // ratio between scales when `scales` is 0
  int scales = 0;              // > 0: exactly this many scales (ConSinGAN); 0: from scale_factor
  bool uneven_scales = false;  // with scales > 0: denser at low resolution (ConSinGAN)

  // Networks (per scale).
  int layers = 5;                 // conv layers per network: head, layers - 2 body blocks, tail
  int channels = 32;              // width at the coarsest scale
  int max_channels = 128;         // width cap
  int channels_double_every = 4;  // widths double every this many scales; 0: constant
  bool batch_norm = true;
  double leaky_slope = 0.2;

  // Training.
  int iterations = 2000;  // per scale
  int d_steps = 3;        // critic updates per iteration
  int g_steps = 3;        // generator updates per iteration
  double lr_g = 5e-4;
  double lr_d = 5e-4;
  double beta1 = 0.5;
  double beta2 = 0.999;
  double lr_decay_at = 0.8;  // fraction of a scale's iterations after which lrs are multiplied ...
  double lr_decay = 0.1;     // ... by this
  double gp_weight = 0.1;    // WGAN-GP lambda
  double rec_weight = 10;    // reconstruction loss weight (alpha)
  double noise_amp = 0.1;    // noise amplitude of a new scale = noise_amp * RMSE of its input
  int train_depth = 1;       // scales trained together (ConSinGAN: 3); older ones stay frozen
  double lr_scale = 0.1;     // lr factor per scale below the newest among those trained together
  bool init_from_previous = true;  // start a scale from the previous one's weights (same width)

  // Reads preset.params strictly (every key above, no other). Error(BadInput) naming the file.
  static SinganParams from_preset(const Preset& preset);
  static SinganParams from_json(const nlohmann::json& params, const std::string& source);
  nlohmann::json to_json() const;
};

// Trains on `image` (RGB; larger than max_size: shrunk; shorter side below min_size:
// Error(BadInput)). Writes options.out; when stopped, a resumable file (finished = false).
// options.resume continues such a file with the parameters stored in it.
TrainResult train_singan(const Image& image, const Preset& preset, const TrainOptions& options,
                         const Callbacks& callbacks = {});

struct SinganScaleInfo {
  int width = 0;
  int height = 0;
  int channels = 0;  // generator width
  double noise_amp = 0;
};

struct SinganSampleOptions {
  std::uint64_t seed = 0;
  int width = 0;  // 0 (both): the training size; else the finest size to draw (retargeting)
  int height = 0;
  // Scales below start_scale follow the reconstruction of the training image (keeping its
  // layout); from start_scale on the noise is random. 0: a wholly new image.
  int start_scale = 0;
  // Per scale (coarsest first), a factor on that scale's noise amplitude, in [0, 4]: 0 draws
  // the scale without new detail, above 1 exaggerates it. Missing scales keep 1.
  std::vector<double> noise_gain = {};
};

struct SinganAnimateOptions {
  std::uint64_t seed = 0;
  int width = 0;  // as in SinganSampleOptions
  int height = 0;
  int start_scale = 0;
  double smoothness = 0.9;  // in [0, 1): how slowly the noise wanders from frame to frame
  double anchor = 0.5;      // in [0, 1]: how close the coarsest noise stays to the reconstruction's
  double fps = 10;
};

class SinganModel {
 public:
  // Reads a finished or resumable singan model file. Error(BadInput) naming the file for a file
  // of another method or a damaged one; Error(Usage) for an unknown device.
  static SinganModel load(const std::string& path, const ComputeOptions& compute = {});

  // A random image. Same options (seed included) give the same image.
  Image sample(const SinganSampleOptions& options = {}) const;
  // Up to `scale` (default: the finest) with the fixed reconstruction noise: the training image.
  Image reconstruct(int scale = -1) const;
  // The image between the samples of seed_a (t = 0) and seed_b (t = 1), noise interpolated so that
  // its variance is kept. Other fields of `options` as in sample().
  Image interpolate(std::uint64_t seed_a, std::uint64_t seed_b, double t,
                    const SinganSampleOptions& options = {}) const;
  // `frames` images whose noise follows a smooth random walk.
  Video animate(int frames, const SinganAnimateOptions& options = {}) const;
  // Paint-to-image: `painting` (any size, resized to the training size) replaces the image at
  // `inject_scale` (0 .. scales() - 1); the finer scales add the training image's patches.
  Image paint(const Image& painting, int inject_scale, std::uint64_t seed = 0) const;

  // The training image as stored in the model file, at the finest trained scale.
  Image training_image() const;

  const ModelInfo& info() const;
  const SinganParams& params() const;
  std::vector<SinganScaleInfo> scales() const;
  int width() const;  // the finest training size
  int height() const;
  std::string device() const;

 private:
  struct Impl;
  explicit SinganModel(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

// ---- Evaluation (eval singan) ----

struct SinganEvalOptions {
  int samples = 8;  // random samples drawn with seeds seed .. seed + samples - 1
  std::uint64_t seed = 1;
  int start_scale = 0;  // samples (and so diversity) from this scale; 0: wholly new images
  SwdOptions swd;       // patch SWD settings (the same projections for every comparison)
};

struct SinganEvalResult {
  int width = 0;  // the training image (finest trained scale)
  int height = 0;
  int samples = 0;
  int start_scale = 0;
  double swd_samples = 0;  // mean over samples of patch SWD(sample, training image)
  double swd_flipped = 0;  // patch SWD(training image mirrored left-right, training image)
  double swd_ratio = 0;    // swd_samples / swd_flipped (issue target: at most 2)
  double diversity = 0;    // std across the samples / the training image's std (target >= 0.25)
  double rec_psnr = 0;     // reconstruction from the fixed noise vs the training image, dB
  double seconds = 0;
};

// Draws the samples of a singan model file and compares them with the training image stored in it.
SinganEvalResult evaluate_singan(const std::string& model_path,
                                 const SinganEvalOptions& options = {},
                                 const ComputeOptions& compute = {});

// ---- Benchmark (bench singan) ----

struct SinganBenchOptions : MultiScaleBenchOptions {
  Image image;    // its pyramid; empty: a random image of width x height
  int width = 0;  // 0: the preset's max_size (square)
  int height = 0;
};

// Times real training iterations at every scale of the preset (the trainer itself, coarse to fine)
// and counts the convolution FLOPs of the real layers.
MultiScaleBenchResult bench_singan(const SinganBenchOptions& options = {});

}  // namespace atelier
