// atelier/patchnn.h — the instant mode: new pictures, retargeting, structural analogies,
// paint-to-image and video variations by patch nearest neighbours, without training and without
// a model file (GPNN: Granot et al., "Drop the GAN", CVPR 2022; VGPNN: Haim et al., "Diverse
// Generation from a Single Video Made Possible", ECCV 2022).
//
// A pyramid of the source is built (ratio scale_factor, down to a coarsest level). The output
// starts at the coarsest level from an initial guess: the source plus noise for new samples, the
// structure picture for analogies, the painting for paint-to-image, the plainly resized source
// for retargeting. At every level, a few rounds of: each patch of the current output (a query)
// finds its nearest patch among the source's patches (keys: the coarser source level brought up
// to this level's size; values: the sharp source level at this size), and the chosen value
// patches are folded back into a picture with a weighted blend. The result goes up one level.
//
// The completeness score (GPNN's alpha) divides each distance by alpha + the key patch's best
// distance to any query, so that every source patch is used somewhere: analogies and retargeting
// use it, plain sampling does not. Videos use space-time patches (patch_frames x patch_size x
// patch_size), a pyramid in space and time, and noise at the coarsest level only, so that their
// samples move like the clip and do not flicker.
//
// Nearest neighbours are found exactly (a tiled matrix product, memory-bounded) for small levels
// and by PatchMatch (propagation and random search, as tensor operations) for large ones; both
// compare patches through their first principal components. Everything runs on the chosen device
// (CUDA when present). The same inputs, parameters and seed give the same result on the CPU.
//
// The header is torch-free: plain types only, so the Qt studio may include it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "atelier/compute.h"
#include "atelier/image.h"
#include "atelier/job.h"
#include "atelier/metrics.h"
#include "atelier/preset.h"
#include "atelier/video.h"

namespace atelier {

// Every field is a key of the preset's "params" (same name); all are required in a preset file.
// The defaults are GPNN's and VGPNN's published settings where they have one. Distances are mean
// squared differences of pixel values in [0, 1], so alpha reads as in the GPNN paper.
struct PatchnnParams {
  // Size limits. Larger inputs are downscaled (the result's notes say so), never refused.
  int max_size = 1024;       // longer side of pictures, in [patch_size, 8192]
  int max_video_size = 256;  // longer side of video frames, in [patch_size, 4096]
  int max_frames = 64;       // frames of a clip; a longer clip keeps its first max_frames

  // Pictures.
  int patch_size = 7;          // patch side in pixels, odd, in [3, 15]
  double scale_factor = 0.75;  // ratio between neighbouring levels, in (0, 1)
  int min_size = 13;           // shorter side of the coarsest level of samples
  int retarget_min_size = 32;  // shorter side of the coarsest output level of retargeting (as
                               // GPNN's 9 levels give a 512-px picture retargeted to 320): room
                               // for rows of patches to be rearranged; at 24 px a 512-px portrait
                               // squeezed to 320 px lost the top of its eyes, at 13 px only a
                               // window is left
  int analogy_levels = 5;      // levels below the finest for analogies
  int paint_levels = 5;        // levels below the finest for paint-to-image
  int rounds = 10;             // search-and-fold rounds per level, at least 1
  int coarsest_rounds = 1;     // at the coarsest level of new samples (the noise is matched once)
  double noise_std = 1.0;      // new samples: std of the noise on the coarsest level ([0, 1]
                               // units; GPNN's 0.75 gave a coffee cup's samples 0.16 diversity)
  double max_in_place = 0.5;   // new samples: when more of the coarsest level's patches than
                               // this come back in place (a copy of the source), the noise
                               // grows by half and the level is redone (up to 6 times); 1: off
  double sample_alpha = 0;     // completeness of new samples; 0: off (plain nearest neighbours)
  double retarget_alpha = 0.005;
  double analogy_alpha = 0.005;
  double paint_alpha = 0;

  // Videos.
  int patch_frames = 3;             // temporal extent of a space-time patch, odd, in [1, 7]
  double video_scale_factor = 0.8;  // spatial ratio between levels, in (0, 1)
  double video_time_factor = 0.93;  // temporal ratio between levels, in (0, 1]: a clip whose
                                    // coarse levels lose more of their frames loses its motion
  int video_min_size = 15;          // shorter frame side of the coarsest level
  int video_min_frames = 3;         // frames of the coarsest level (at least patch_frames)
  int video_rounds = 5;             // rounds per level (at the coarsest: coarsest_rounds)
  double video_noise_std = 4.0;     // std of the noise on the coarsest clip ([0, 1] units; VGPNN's
                                    // is as strong: the coarsest clip is remade from scratch)
  bool video_sharp_keys = true;     // after a level's first round, queries are compared with the
                                    // sharp level's own patches (VGPNN), which keeps the clip's
                                    // fine motion; off: always the coarser level brought up

  // Search and blending.
  std::string search = "auto";    // "exact", "patchmatch" or "auto" (by exact_max_patches)
  int exact_max_patches = 2500;   // auto: exact search while queries and keys are this few
  int patchmatch_iterations = 2;  // PatchMatch sweeps per round (propagation + random search)
  int feature_dims = 32;          // principal components compared; 0: whole patches
  double blend_sigma = 1.7;       // Gaussian weight of a patch's pixels when folding back, in
                                  // units of half a patch (large: plain mean)

  // Reads preset.params strictly (every key above, no other). Error(BadInput) naming the file.
  static PatchnnParams from_preset(const Preset& preset);
  static PatchnnParams from_json(const nlohmann::json& params, const std::string& source);
  nlohmann::json to_json() const;
};

// One level of a run, coarsest first.
struct PatchnnLevelStats {
  int width = 0;  // output size at this level (frames: 1 for pictures)
  int height = 0;
  int frames = 1;
  int rounds = 0;
  std::string search;  // "exact" or "patchmatch"
  double seconds = 0;
};

// What every operation reports besides its pictures.
struct PatchnnReport {
  std::vector<std::string> notes;  // inputs downscaled or resized, in plain words
  std::vector<PatchnnLevelStats> levels;
  double seconds = 0;
};

struct PatchnnImageResult {
  Image image;
  PatchnnReport report;
};

struct PatchnnVideoResult {
  Video video;
  PatchnnReport report;
};

// Callbacks of every operation: on_progress once per round (phase "generate", scale = level,
// step = round, with an ETA), on_preview after every level with the output so far at the final
// size (videos: their first frame), should_stop between rounds (then Error(Cancelled)).

struct PatchnnSampleOptions {
  std::uint64_t seed = 1;
  int width = 0;  // 0 (both): the source's size after the limits; one 0 keeps the aspect
  int height = 0;
  double noise_std = -1;                    // < 0: params.noise_std
  std::string source_name = "the picture";  // named in error messages and notes (a file name)
};

// A new picture with the source's patches; any size (then a retargeted random sample).
// Error(BadInput) naming the source for an empty picture or one smaller than a patch.
PatchnnImageResult patchnn_sample(const Image& source, const PatchnnParams& params,
                                  const PatchnnSampleOptions& options = {},
                                  const ComputeOptions& compute = {},
                                  const Callbacks& callbacks = {});

struct PatchnnSamples {
  std::vector<Image> images;
  PatchnnReport report;  // every sample's levels, in order
};

// n samples with seeds options.seed .. options.seed + n - 1 as one job (one ETA; the source's
// pyramid is prepared once). Each is the picture patchnn_sample gives for its seed.
PatchnnSamples patchnn_samples(const Image& source, int n, const PatchnnParams& params,
                               const PatchnnSampleOptions& options = {},
                               const ComputeOptions& compute = {}, const Callbacks& callbacks = {});

// The source at another size, with its content kept whole (no noise, completeness on).
PatchnnImageResult patchnn_retarget(const Image& source, int width, int height,
                                    const PatchnnParams& params,
                                    const std::string& source_name = "the picture",
                                    const ComputeOptions& compute = {},
                                    const Callbacks& callbacks = {});

// Keeps the structure (layout) of `structure` and takes the patches of `patches`; the result has
// the size of `structure` (after the limits). The two pictures may differ in size.
PatchnnImageResult patchnn_analogy(const Image& structure, const Image& patches,
                                   const PatchnnParams& params,
                                   const std::string& structure_name = "the structure picture",
                                   const std::string& patches_name = "the patch picture",
                                   const ComputeOptions& compute = {},
                                   const Callbacks& callbacks = {});

struct PatchnnAnalogyPair {
  Image a2b;             // a's structure, b's patches
  Image b2a;             // b's structure, a's patches
  PatchnnReport report;  // both directions' levels, a2b's first
};

// Both directions; progress counts the two runs as one job.
PatchnnAnalogyPair patchnn_analogies(const Image& a, const Image& b, const PatchnnParams& params,
                                     const std::string& a_name = "picture a",
                                     const std::string& b_name = "picture b",
                                     const ComputeOptions& compute = {},
                                     const Callbacks& callbacks = {});

// Paint-to-image: a rough painting becomes a picture made of the source's patches. A painting of
// another size than the source (after the limits) is resized to it, with a note.
PatchnnImageResult patchnn_paint(const Image& source, const Image& painting,
                                 const PatchnnParams& params,
                                 const std::string& source_name = "the picture",
                                 const std::string& painting_name = "the painting",
                                 const ComputeOptions& compute = {},
                                 const Callbacks& callbacks = {});

struct PatchnnVideoOptions {
  std::uint64_t seed = 1;
  int width = 0;  // output frame size; 0 (both): the clip's after the limits; one 0 keeps aspect
  int height = 0;
  int frames = 0;         // output length; 0: the clip's (after the limits)
  double noise_std = -1;  // < 0: params.video_noise_std
  std::string clip_name = "the clip";
};

// A new clip with the clip's space-time patches: any length and frame size. Error(BadInput)
// naming the clip for fewer frames than a patch spans (a one-frame video) or frames smaller than
// a patch.
PatchnnVideoResult patchnn_video_sample(const Video& clip, const PatchnnParams& params,
                                        const PatchnnVideoOptions& options = {},
                                        const ComputeOptions& compute = {},
                                        const Callbacks& callbacks = {});

// ---- One click: video variations (the instant counterpart of make_video_variations) ----

// Which part of a video file becomes the clip.
struct PatchnnClipChoice {
  std::string video;
  int start = 0;   // first frame (after fps subsampling)
  int frames = 0;  // frames read; 0: all, up to the preset's max_frames
  double fps = 0;  // > 0: subsample to at most this rate
  int width = 0;   // > 0: frames scaled to this width as they are read (aspect kept)
};

// Reads a clip as patchnn uses it, with a note in `notes` (and the log) when it is longer than
// the preset's max_frames. Error(BadInput) naming the file when it cannot be read.
Video read_patchnn_clip(const PatchnnClipChoice& choice, const PatchnnParams& params,
                        std::vector<std::string>* notes = nullptr);

struct PatchnnVariationsParams {
  PatchnnClipChoice clip;
  std::string preset = "preview";      // a preset name or a .json file
  std::vector<std::string> overrides;  // "key=value" preset overrides
  // Written here: input.mp4 (the clip as used), variation_K.mp4 and .gif for K = 1..n,
  // contact_sheet.png (the input, then one row per variation). Nothing is written when the job
  // fails or is stopped.
  std::string out_dir;
  int n = 4;
  std::uint64_t seed = 1;      // variation K uses seed + K - 1
  PatchnnVideoOptions sample;  // size, length and noise of the variations (its seed is ignored)
  ComputeOptions compute;
};

struct PatchnnVariationsResult {
  std::string input;               // input.mp4
  std::vector<std::string> files;  // variation_K.mp4 and .gif, in order
  std::string contact_sheet;
  double seconds = 0;
  Video clip;  // the clip as used (after the limits)
  std::vector<Video> variations;
  PatchnnReport report;  // the first variation's levels, every note
};

// Progress counts all variations as one job; a stop request ends it with Error(Cancelled).
PatchnnVariationsResult make_patchnn_video_variations(const PatchnnVariationsParams& params,
                                                      const Callbacks& callbacks = {});

// ---- Evaluation (eval patchnn) ----

struct PatchnnSampleEval {
  std::string name;
  int width = 0;  // the source as used
  int height = 0;
  int samples = 0;
  double seconds_per_sample = 0;
  double swd_samples = 0;  // mean over samples of patch SWD(sample, source)
  double swd_flipped = 0;  // patch SWD(source mirrored left-right, source)
  double swd_ratio = 0;    // swd_samples / swd_flipped (issue target: at most 1.5)
  double diversity = 0;    // std across samples / the source's std (target: at least 0.3)
  // Mean PSNR of each sample against the source, both shrunk to 32 px on the long side: how much
  // of the source's layout a sample keeps. Measured at 256 px: a copy (no noise) 49-52 dB, the
  // preview preset's samples 15-21 dB. Diversity alone counts a jittering texture as variety.
  double layout_psnr = 0;
};

struct PatchnnAnalogyEval {
  std::string a_name, b_name;
  double seconds = 0;                             // both directions
  double structure_ab = 0, structure_b_vs_a = 0;  // a->b against a, and b itself against a
  double structure_ba = 0, structure_a_vs_b = 0;
  double swd_ab = 0, swd_b_mirrored = 0;  // a->b's patches against b's, and the mirrored b's
  double swd_ba = 0, swd_a_mirrored = 0;
};

struct PatchnnVideoEval {
  std::string name;
  int width = 0, height = 0, frames = 0;  // the clip as used
  int samples = 0;
  double seconds_per_sample = 0;
  double swd_samples = 0, swd_flipped = 0, swd_ratio = 0;  // space-time patch SWD
  double diversity = 0;                                    // target: at least 0.2
  double motion_samples = 0;
  double motion_real = 0;
  double motion_ratio = 0;  // target: within 0.5 .. 1.5
};

struct PatchnnEvalOptions {
  int samples = 4;  // per picture or clip, seeds seed .. seed + samples - 1
  std::uint64_t seed = 1;
  PatchnnSampleOptions sample;  // size and noise of picture samples (seed and name are set here)
  PatchnnVideoOptions video;    // size and length of video samples
  SwdOptions swd;
};

PatchnnSampleEval evaluate_patchnn_samples(const Image& source, const std::string& name,
                                           const PatchnnParams& params,
                                           const PatchnnEvalOptions& options = {},
                                           const ComputeOptions& compute = {},
                                           const Callbacks& callbacks = {});
PatchnnAnalogyEval evaluate_patchnn_analogy(const Image& a, const Image& b,
                                            const std::string& a_name, const std::string& b_name,
                                            const PatchnnParams& params,
                                            const PatchnnEvalOptions& options = {},
                                            const ComputeOptions& compute = {},
                                            const Callbacks& callbacks = {});
PatchnnVideoEval evaluate_patchnn_video(const Video& clip, const std::string& name,
                                        const PatchnnParams& params,
                                        const PatchnnEvalOptions& options = {},
                                        const ComputeOptions& compute = {},
                                        const Callbacks& callbacks = {});

// ---- Benchmark (bench patchnn) ----

struct PatchnnBenchOptions {
  ComputeOptions compute;
  std::string preset = "preview";
  std::vector<std::string> overrides;  // "key=value" preset overrides
  Image image;    // a picture to sample; empty: a seeded random picture of width x height
  int width = 0;  // of the random picture; 0: 256 x 192
  int height = 0;
  Video clip;       // a clip to vary (instead of the picture); empty: pictures
  int repeats = 3;  // timed runs after one warm-up; per-level times are their medians
};

struct PatchnnBenchResult {
  std::string preset;
  std::string device;
  int threads = 0;
  int width = 0, height = 0, frames = 1;  // the output
  std::vector<PatchnnLevelStats> levels;  // median seconds per level
  double seconds = 0;                     // median of whole runs
  // Pictures: the median time of the patch SWD between a sample and its input (what `eval`
  // measures per picture); 0 for clips.
  double swd_seconds = 0;
  double peak_rss_mb = 0;
};

PatchnnBenchResult bench_patchnn(const PatchnnBenchOptions& options = {});

}  // namespace atelier
