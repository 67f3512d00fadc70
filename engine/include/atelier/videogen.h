// atelier/videogen.h — new videos from one short video (Hierarchical Patch VAE-GAN family).
//
// A spatio-temporal pyramid of small 3-D convolutional networks learns one clip, coarse to fine:
// both the frame size and the frame count grow from level to level. The coarsest levels form a
// patch-VAE: an encoder maps the coarsest clip to a map of latent means and log-variances, a
// decoder turns a latent map back into a clip, and the next VAE levels refine it; they learn by
// reconstruction and a KL term, so random latents give diverse but plausible coarse clips. The
// finer levels are patch-GANs that add detail to the upsampled coarser clip (WGAN-GP against a
// spectrally normalised 3-D critic, plus reconstruction).
//
// Levels are numbered 0 (coarsest) to levels() - 1 (finest) in this API.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "atelier/bench.h"
#include "atelier/compute.h"
#include "atelier/job.h"
#include "atelier/metrics.h"
#include "atelier/model_file.h"
#include "atelier/preset.h"
#include "atelier/video.h"

namespace atelier {

// Every field is a key of the preset's "params" (same name); all are required in a preset file.
// The defaults are the paper's settings.
struct VideogenParams {
  // Spatio-temporal pyramid.
  int max_size = 128;  // longer side of the finest level's frames; larger clips are shrunk
  int min_size = 16;   // shorter side of the coarsest level's frames
  int levels = 8;      // levels in all, coarsest to finest
  int frames = 13;     // frames of the finest level (the training clip's length)
  int min_frames = 5;  // frames of the coarsest level (intermediate levels are in between)

  // Networks (per level).
  int layers = 5;             // 3-D conv layers per network: head, layers - 2 body blocks, tail
  int channels = 64;          // generator and critic width
  int latent_channels = 128;  // channels of the coarsest latent map
  int vae_levels = 3;         // the coarsest levels trained as a VAE (at least 1)
  bool batch_norm = true;     // in generators (the critic uses spectral norm)
  bool vae_dilated = false;   // the coarsest VAE's layers dilate in space (1, 2, 4, ...), so
                              // each latent value is decoded with a view of the whole coarsest
                              // frame (where its borders are: the clip's layout), not 9 pixels
  bool vae_coordinates = false;  // the coarsest VAE's decoder also sees where in the frame each
                                 // latent value lies (two channels: row and column in [-1, 1]),
                                 // so samples from the prior keep the clip's layout (the sky
                                 // above, a post at the left) while the latent varies the rest
  bool replicate_time_padding = false;  // the generators' convolutions repeat a clip's first and
                                        // last frames beyond its ends instead of zeros, so a
                                        // still clip's samples do not flicker at their ends
  double leaky_slope = 0.2;
  double sample_temperature = 1.0;  // the latent spread of samples whose caller does not choose
                                    // one (a preset may set it above 1 where its prior is narrow)
  double sample_layout = 0.0;  // likewise their layout weight (VideogenSampleOptions::layout): a
                               // short training's prior alone loses the clip's subjects

  // Training.
  int vae_iterations = 2000;  // per VAE level
  int iterations = 2000;      // per GAN level
  int d_steps = 1;            // critic updates per GAN iteration
  int g_steps = 1;            // generator updates per GAN iteration
  double lr_g = 5e-4;
  double lr_d = 5e-4;
  double beta1 = 0.5;
  double beta2 = 0.999;
  double lr_decay_at = 0.8;  // fraction of a level's iterations after which lrs are multiplied ...
  double lr_decay = 0.1;     // ... by this
  double gp_weight = 0.1;    // WGAN-GP lambda
  double rec_weight = 10;    // reconstruction loss weight
  double kl_weight = 1;      // KL weight of the VAE levels
  double noise_amp = 0.1;    // noise amplitude of a GAN level = noise_amp * RMSE of its input
  int train_depth = 1;       // levels trained together; older ones stay frozen
  double lr_scale = 0.1;     // lr factor per level below the newest among those trained together
  int critic_crop = 0;       // > 0: the critic sees a random crop of this many pixels a side
                             // (same place in real and fake; a patch critic needs no more)

  static VideogenParams from_preset(const Preset& preset);
  static VideogenParams from_json(const nlohmann::json& params, const std::string& source);
  nlohmann::json to_json() const;
};

// Trains on `clip` (all frames are used; its length must be at least params.frames: longer
// clips keep their first params.frames frames; frames larger than max_size are shrunk). Writes
// options.out; when stopped, a resumable file (finished = false). Error(BadInput) for a clip
// too short or too small, naming what it got.
TrainResult train_videogen(const Video& clip, const Preset& preset, const TrainOptions& options,
                           const Callbacks& callbacks = {});

struct VideogenLevelInfo {
  int width = 0;
  int height = 0;
  int frames = 0;
  bool vae = false;      // a VAE level (else a GAN level)
  double noise_amp = 0;  // GAN levels
};

struct VideogenSampleOptions {
  std::uint64_t seed = 0;
  int frames = 0;            // 0: the training length; more gives a longer video (at least 2)
  // The random latent: mean layout * mu, spread temperature * (layout * sigma + 1 - layout),
  // where N(mu, sigma) is what the encoder makes of the training clip. layout 0 draws from the
  // prior (wholly new arrangements of the clip's patches); 1 draws around the training clip
  // (its layout kept, details and motion varied); temperature 0 gives the mean. A negative
  // temperature or layout is the model's params().sample_temperature or sample_layout.
  double temperature = -1;
  double layout = -1;
  // Levels below start_level follow the reconstruction of the training clip (keeping its
  // layout and motion); from start_level on the noise is random. 0: a wholly new clip.
  int start_level = 0;
};

class VideogenModel {
 public:
  // Reads a finished or resumable videogen model file. Error(BadInput) naming the file for a file
  // of another method or a damaged one; Error(Usage) for an unknown device.
  static VideogenModel load(const std::string& path, const ComputeOptions& compute = {});

  // A new clip at the training frame size and rate. Same options, same clip.
  Video sample(const VideogenSampleOptions& options = {}) const;
  // The latent spread a sample asked for with `temperature` is drawn with: that one, or where
  // it is negative, params().sample_temperature.
  double resolved_temperature(double temperature) const;
  double resolved_layout(double layout) const;  // likewise, params().sample_layout
  // The training clip as the model rebuilds it from the encoder's mean latent, up to `level`
  // (default: the finest trained), at that level's size.
  Video reconstruct(int level = -1) const;
  // The training clip as stored in the model file, at the finest trained level's size.
  Video training_clip() const;

  const ModelInfo& info() const;
  const VideogenParams& params() const;
  std::vector<VideogenLevelInfo> levels() const;  // all levels of the pyramid
  int trained_levels() const;
  std::string device() const;

 private:
  struct Impl;
  explicit VideogenModel(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

// ---- One click: video variations (train, sample, export) ----

// Which part of a video file becomes the training clip.
struct VideoClipChoice {
  std::string video;
  int start = 0;   // first frame (after fps subsampling)
  int frames = 0;  // 0: the preset's; fewer than the preset's coarsest level shortens that too
  double fps = 0;  // > 0: subsample to at most this rate
};

// Applies the choice's length to `preset` and reads the clip. Error(BadInput) naming the file
// when it is unreadable or has fewer frames than the clip needs.
Video read_videogen_clip(const VideoClipChoice& choice, Preset& preset);

struct VideoVariationsParams {
  VideoClipChoice clip;
  std::string preset = "preview";  // a preset name or a .json file
  std::vector<std::string> overrides;  // "key=value" preset overrides
  // Written here: model.atl, input.mp4 (the clip as trained), variation_K.mp4 and .gif for K =
  // 1..n, contact_sheet.png (the input, then one row per variation). Created when missing;
  // existing files of these names are replaced (front ends ask first).
  std::string out_dir;
  int n = 4;
  std::uint64_t seed = 1;          // training seed; variation K is sampled with seed + K - 1
  VideogenSampleOptions sample;    // its seed is ignored (see above)
  std::string resume;              // a stopped run's model.atl to continue
  ComputeOptions compute;
  int preview_every = 0;           // training steps between on_preview calls; 0: never
};

struct VideoVariationsResult {
  bool finished = false;     // false: stopped during training; `model` is resumable
  std::string model;
  std::string input;         // input.mp4
  std::vector<std::string> files;  // variation_K.mp4 and .gif, in order
  std::string contact_sheet;
  double train_seconds = 0;
  Video clip;                     // the training clip, as the model stores it
  std::vector<Video> variations;  // n new clips
};

// Reports training progress (phase "train"), then one step per variation (phase "generate").
VideoVariationsResult make_video_variations(const VideoVariationsParams& params,
                                            const Callbacks& callbacks = {});

// ---- Evaluation (eval videogen) ----

struct VideogenEvalOptions {
  int samples = 8;  // random samples drawn with seeds seed .. seed + samples - 1
  std::uint64_t seed = 1;
  int start_level = 0;
  double temperature = -1;  // < 0: the model's sample_temperature
  double layout = -1;       // < 0: the model's sample_layout
  VideoSwdOptions swd;
};

struct VideogenEvalResult {
  int width = 0;  // the clip the samples are compared with (finest trained level)
  int height = 0;
  int frames = 0;
  int samples = 0;
  double temperature = 0;     // the latent spread the samples were drawn with
  double layout = 0;          // and their layout weight
  double swd_samples = 0;     // mean over samples of spatio-temporal patch SWD(sample, clip)
  double swd_flipped = 0;     // SWD(clip mirrored left-right, clip): a reference scale
  double swd_ratio = 0;       // swd_samples / swd_flipped
  // Per frame, 2-D patch SWD of each sample frame against the clip's frame of the same index, and
  // of the mirrored clip frame: what a frame looks like up close, where blur and a lost subject
  // show (target frame_swd_ratio <= 1.5).
  double frame_swd_samples = 0;
  double frame_swd_mirrored = 0;
  double frame_swd_ratio = 0;  // frame_swd_samples / frame_swd_mirrored
  double diversity = 0;       // std across samples (all frames) / the clip's std (target >= 0.2)
  double motion_samples = 0;  // mean temporal_consistency of the samples
  double motion_real = 0;     // temporal_consistency of the clip
  double motion_ratio = 0;    // motion_samples / motion_real (target within 0.5 .. 1.5)
  double rec_psnr = 0;        // reconstruction vs the clip, dB
  ColourStats colour_samples;  // mean over samples: washed-out or dull samples show here
  ColourStats colour_real;     // the clip's
  double seconds = 0;
};

// Compares samples of a videogen model with the clip stored in it. A non-empty `reference` is
// used instead of the stored clip (resized to its frame size; its first frames as many).
VideogenEvalResult evaluate_videogen(const std::string& model_path,
                                     const VideogenEvalOptions& options = {},
                                     const ComputeOptions& compute = {},
                                     const Video& reference = {});

// ---- Benchmark (bench videogen) ----

struct VideogenBenchOptions : MultiScaleBenchOptions {
  VideogenBenchOptions() { steps = 3; }  // a level's iteration takes long: fewer timed ones
  Video clip;     // its pyramid; empty: a random clip of width x height x params.frames
  int width = 0;  // 0: the preset's max_size wide, 3:4 high
  int height = 0;
};

// Times real training iterations at every level of the preset (the trainer itself) and counts
// the convolution FLOPs of the real layers (one ScaleStepBench per level, frames filled in).
MultiScaleBenchResult bench_videogen(const VideogenBenchOptions& options = {});

}  // namespace atelier
