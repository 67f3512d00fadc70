// atelier/analogy.h — structural analogy from a single image pair (Benaim et al., CGF 2020).
//
// Two images A and B of one size. Per scale (coarse to fine) two patch generators, one per domain,
// and two patch critics. Each domain's generators form a SinGAN-like chain (samples of that domain
// from noise, a fixed-noise reconstruction); at every scale the generator of one domain also
// translates the other domain's image of that scale, with a cycle loss back through the other
// domain's generator. Generators are residual (out = in + net(in)) at the coarse and middle scales
// and direct (out = net(in)) at the finest `direct_scales`, so that the finest patches come from
// the target domain only.
//
// a->b keeps the structure of a and takes the patches of b: a enters B's chain at an injection
// scale (0 = coarsest: only a's layout survives; finer: more of a's shapes) and B's finer
// generators refine it. A user's painting or sketch goes through the same route.
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

namespace atelier {

// Every field is a key of the preset's "params" (same name); all are required in a preset file.
struct AnalogyParams {
  // Pyramid (shared by both images).
  int max_size = 250;
  int min_size = 25;
  double scale_factor = 0.75;
  int scales = 0;  // > 0: exactly this many scales; 0: from scale_factor
  bool uneven_scales = false;

  // Networks (per scale and domain).
  int layers = 5;
  int channels = 32;
  int max_channels = 128;
  int channels_double_every = 4;
  bool batch_norm = true;
  double leaky_slope = 0.2;
  int direct_scales = 2;  // the finest this many scales have direct generators; others residual

  // Training.
  int iterations = 2000;  // per scale
  int d_steps = 3;
  int g_steps = 3;
  double lr_g = 5e-4;
  double lr_d = 5e-4;
  double beta1 = 0.5;
  double beta2 = 0.999;
  double lr_decay_at = 0.8;
  double lr_decay = 0.1;
  double gp_weight = 0.1;
  double rec_weight = 10;         // each domain's reconstruction (MSE)
  double cycle_weight = 10;       // a -> b -> a and b -> a -> b at each scale (L1)
  double translation_weight = 1;  // adversarial weight of the translations (samples: 1)
  double noise_amp = 0.1;
  int train_depth = 1;
  double lr_scale = 0.1;
  bool init_from_previous = true;

  static AnalogyParams from_preset(const Preset& preset);
  static AnalogyParams from_json(const nlohmann::json& params, const std::string& source);
  nlohmann::json to_json() const;
};

// Trains on the pair (RGB; grey and alpha images are converted; both must have one size; larger
// than max_size: shrunk; shorter side below min_size: Error(BadInput)). Resumable like singan.
TrainResult train_analogy(const Image& a, const Image& b, const Preset& preset,
                          const TrainOptions& options, const Callbacks& callbacks = {});

enum class Domain { A, B };

// An injection scale that means "the model's own level for this direction": the level chosen at
// the end of training from how each level keeps the source's structure and takes the target's
// patches (see choose_injection_level).
constexpr int kModelInjection = -1;

struct AnalogyTranslateOptions {
  int inject = kModelInjection;  // scale at which the source enters the target domain's chain
  std::uint64_t seed = 0;        // noise of the scales above `inject`
};

class AnalogyModel {
 public:
  static AnalogyModel load(const std::string& path, const ComputeOptions& compute = {});

  // The training image of `from` translated into the other domain: a->b (from = A) or b->a.
  Image translate(Domain from, const AnalogyTranslateOptions& options = {}) const;
  // Any image (a painting, a sketch, another photo) taken as a `from` image, resized to the
  // training size, translated into the other domain: paint-to-image through the analogy.
  Image translate(const Image& source, Domain from,
                  const AnalogyTranslateOptions& options = {}) const;
  // A random image of `domain` (its own chain from noise), from start_scale on (below: the
  // reconstruction of its training image).
  Image sample(Domain domain, std::uint64_t seed = 0, int start_scale = 0) const;
  Image reconstruct(Domain domain) const;
  // The training images as stored in the file (finest trained scale).
  Image training_image(Domain domain) const;

  // The level translations from `from` use by default (chosen after training; 0 in model files
  // written before models chose their level).
  int default_inject(Domain from) const;

  const ModelInfo& info() const;
  const AnalogyParams& params() const;
  int scales() const;  // trained scales
  std::vector<bool> residual_scales() const;
  int width() const;
  int height() const;
  std::string device() const;

 private:
  struct Impl;
  explicit AnalogyModel(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

// ---- Injection levels ----

// How one injection level serves one direction (a->b or b->a), measured on the training pair.
struct AnalogyLevelScore {
  int inject = 0;
  double structure = 0;  // structure score of the translation against its source
  double swd_ratio = 0;  // patch SWD to the target / the mirrored target's (1: the target's own)
  double source_swd_ratio = 0;  // the same against the source: low for a near copy of it
};

// Every trained level of the direction from `from`, coarse to fine (translations with `seed`).
std::vector<AnalogyLevelScore> score_injection_levels(const AnalogyModel& model, Domain from,
                                                      const SwdOptions& swd = {},
                                                      std::uint64_t seed = 1);

// The level that best keeps the source's structure (above `structure_baseline`: the target's own
// structure score against the source) and takes the target's patches (a low swd_ratio) rather
// than the source's (a source_swd_ratio of at least 1); never the finest of several levels, which
// only recolours the source. A level within the targets (some structure kept, patch SWD at most 2x
// the mirrored target's, no copy) comes before any outside them. See injection.cpp for the measure.
int choose_injection_level(const std::vector<AnalogyLevelScore>& levels, double structure_baseline);

// Scores the levels of both directions of the model file at `path`, and stores each direction's
// choice in it as its default (the file is rewritten in place, atomically).
void store_default_injection(const std::string& path, const ComputeOptions& compute = {});

// ---- Evaluation (eval analogy) ----

struct AnalogyEvalOptions {
  int inject = kModelInjection;  // injection scale of the translations (default: the model's)
  int samples = 8;               // per domain, for diversity
  std::uint64_t seed = 1;
  SwdOptions swd;
};

struct AnalogyEvalResult {
  int width = 0;
  int height = 0;
  int inject_ab = 0, inject_ba = 0;  // the levels of the translations measured below
  // Every level of both directions, and the levels the model uses by default.
  std::vector<AnalogyLevelScore> levels_ab, levels_ba;
  int default_inject_ab = 0, default_inject_ba = 0;
  // a->b against b's patches and a's structure, with their references: the mirrored b, and b's own
  // structure score against a (the target: structure_ab clearly above structure_b_vs_a).
  double swd_ab = 0, swd_b_mirrored = 0;
  double structure_ab = 0, structure_b_vs_a = 0;
  double swd_ba = 0, swd_a_mirrored = 0;
  double structure_ba = 0, structure_a_vs_b = 0;
  // Unconditional samples of each domain from the coarsest scale.
  int samples = 0;
  double swd_samples_a = 0, swd_samples_b = 0;
  double diversity_a = 0, diversity_b = 0;
  double seconds = 0;
};

AnalogyEvalResult evaluate_analogy(const std::string& model_path,
                                   const AnalogyEvalOptions& options = {},
                                   const ComputeOptions& compute = {});

// ---- Benchmark (bench analogy) ----

struct AnalogyBenchOptions : MultiScaleBenchOptions {
  Image a, b;     // the pair; empty: random images of width x height
  int width = 0;  // 0: the preset's max_size (square)
  int height = 0;
};

MultiScaleBenchResult bench_analogy(const AnalogyBenchOptions& options = {});

}  // namespace atelier
