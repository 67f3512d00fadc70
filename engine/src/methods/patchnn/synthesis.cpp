#include "methods/patchnn/synthesis.h"

#include <torch/torch.h>

#include <algorithm>

#include "atelier/compute.h"
#include "atelier/error.h"
#include "core/bench_util.h"
#include "core/tensor_image.h"
#include "methods/patchnn/patch_fold.h"

namespace atelier::patchnn {
namespace {

// The principal components of a source are drawn with their own seed, so a prepared source does
// not depend on the seed of the runs that use it.
constexpr std::uint64_t kBasisSeed = 0x5eed;

bool use_exact(const PatchnnParams& params, std::int64_t queries, std::int64_t keys) {
  if (params.search == "exact") return true;
  if (params.search == "patchmatch") return false;
  return std::max(queries, keys) <= params.exact_max_patches;
}

std::vector<ProgressClock::Stage> stages_of(const std::vector<RunPlan>& runs) {
  std::vector<ProgressClock::Stage> stages;
  for (const RunPlan& run : runs) {
    for (std::size_t level = 0; level < run.sizes.size(); ++level) {
      // A round costs about its pixels, plus a fixed overhead of small levels' many operations.
      stages.push_back({run.label, static_cast<int>(level) + 1, run.rounds[level],
                        double(run.sizes[level].pixels()) + 4096});
    }
  }
  return stages;
}

// The nearest-neighbour field of one round, with the completeness weights when alpha is on.
// `field` and `reverse` carry PatchMatch's state from round to round.
void search_round(const PatchSet& queries, const PatchSet& keys, double alpha, bool exact,
                  int iterations, torch::Tensor& field, torch::Tensor& reverse,
                  at::Generator& generator) {
  torch::Tensor weights;
  if (alpha > 0) {
    torch::Tensor best;
    if (exact) {
      best = exact_best_distances(keys, queries);
    } else {
      FieldScores back = patchmatch(keys, queries, {}, reverse, iterations, generator);
      reverse = back.field;
      best = back.scores;
    }
    weights = best.add(alpha).reciprocal();
  }
  if (exact) {
    field = exact_field(queries, keys, weights);
  } else {
    field = patchmatch(queries, keys, weights, field, iterations, generator).field;
  }
}

}  // namespace

std::vector<SourceLevel> prepare_source(const std::vector<torch::Tensor>& levels,
                                        const PatchShape& patch, int feature_dims,
                                        bool sharp_keys) {
  at::Generator generator = at::detail::createCPUGenerator(kBasisSeed);
  std::vector<SourceLevel> prepared;
  prepared.reserve(levels.size());
  for (std::size_t i = 0; i < levels.size(); ++i) {
    SourceLevel level;
    level.values = levels[i];
    const torch::Tensor keys =
        i == 0 ? levels[0] : resize_volume(levels[i - 1], size_of(levels[i])).contiguous();
    level.basis = principal_basis(keys, patch, feature_dims, generator);
    level.keys = {patch_features(keys, level.basis), patch.grid(size_of(keys))};
    if (sharp_keys) {
      level.sharp_keys =
          i == 0 ? level.keys : PatchSet{patch_features(levels[i], level.basis), level.keys.grid};
    }
    prepared.push_back(std::move(level));
  }
  return prepared;
}

JobProgress::JobProgress(const std::vector<RunPlan>& runs, const Callbacks& callbacks)
    : callbacks_(callbacks), clock_(stages_of(runs)) {
  std::size_t stage = 0;
  for (const RunPlan& run : runs) {
    first_stage_.push_back(stage);
    stage += run.sizes.size();
  }
}

void JobProgress::round_done(int level, int round, int /*levels*/) {
  callbacks_.progress(clock_.update(first_stage_[run_] + level, round));
}

void JobProgress::level_done(const torch::Tensor& output, const VolumeSize& final_size) const {
  if (!callbacks_.on_preview) return;
  // The first frame at the output's own size: what the finished result will look like there.
  const VolumeSize frame{1, final_size.height, final_size.width};
  callbacks_.preview(tensor_to_image(resize_volume(output.narrow(1, 0, 1), frame).select(1, 0)));
}

void JobProgress::check_stop() const {
  if (callbacks_.stop_requested()) throw cancelled("patchnn: stopped on request");
}

namespace {

// The search state carried from round to round and level to level (PatchMatch's fields).
struct SearchState {
  torch::Tensor field, reverse;
  VolumeSize key_grid;  // of the level the field was found on
};

// The rounds of one level from `output` (already at the level's size).
torch::Tensor match_level(const SourceLevel& level, torch::Tensor output, const RunPlan& plan,
                          int l, const PatchShape& patch, const PatchnnParams& params,
                          JobProgress& progress, SearchState& state, at::Generator& generator,
                          bool& exact) {
  const VolumeSize size = plan.sizes[l];
  const VolumeSize grid = patch.grid(size);
  exact = use_exact(params, grid.pixels(), level.keys.grid.pixels());
  if (!exact) {
    const torch::Device device = output.device();
    state.field = state.field.defined()
                      ? upscale_field(state.field, state.key_grid, grid, level.keys.grid)
                      : random_field(grid, level.keys.grid, device, generator);
    state.reverse = random_field(level.keys.grid, grid, device, generator);
  }
  const PatchFolder folder(size, patch, params.blend_sigma, output.options());
  torch::Tensor features;  // the queries' features, one buffer for every round
  for (int round = 0; round < plan.rounds[l]; ++round) {
    progress.check_stop();
    adapt_threads();
    features = patch_features(output, level.basis, features);
    const PatchSet queries{features, grid};
    const bool sharp = plan.sharp_keys && round > 0;
    search_round(queries, sharp ? level.sharp_keys : level.keys, plan.alpha, exact,
                 params.patchmatch_iterations, state.field, state.reverse, generator);
    output = folder.fold(level.values, state.field);
    progress.round_done(l, round + 1, static_cast<int>(plan.sizes.size()));
  }
  state.key_grid = level.keys.grid;
  return output;
}

// Noise that grows by half each time the coarsest level comes back a copy of the source: a
// picture of a few large, strong regions shrugs off noise that reshuffles a texture.
constexpr double kNoiseGrowth = 1.5;
constexpr int kNoiseRaises = 6;

// The coarsest level of `plan`: its start (with noise) matched, and redone with more noise
// while too much of it comes back in place.
torch::Tensor match_coarsest(const SourceLevel& level, const RunPlan& plan, const PatchShape& patch,
                             const PatchnnParams& params, JobProgress& progress, SearchState& state,
                             at::Generator& generator, bool& exact, double& noise_std) {
  noise_std = plan.noise.defined() ? plan.noise_std : 0.0;
  for (int raise = 0;; ++raise) {
    // [0, 1] units are half of the engine's [-1, 1] ones.
    const torch::Tensor start =
        noise_std > 0 ? plan.initial + 2 * noise_std * plan.noise : plan.initial;
    SearchState tried = state;
    torch::Tensor output =
        match_level(level, start, plan, 0, patch, params, progress, tried, generator, exact);
    const bool copy = noise_std > 0 && plan.max_in_place < 1 &&
                      in_place_share(tried.field, level.keys.grid) > plan.max_in_place;
    if (!copy || raise == kNoiseRaises) {
      state = tried;
      return output;
    }
    noise_std *= kNoiseGrowth;
  }
}

}  // namespace

torch::Tensor synthesize(const std::vector<SourceLevel>& source, const RunPlan& plan,
                         const PatchShape& patch, const PatchnnParams& params,
                         JobProgress& progress, RunStats* stats) {
  torch::NoGradGuard no_grad;
  const int count = static_cast<int>(source.size());
  if (plan.sizes.size() != source.size() || plan.rounds.size() != source.size()) {
    throw Error(ErrorKind::Internal, "patchnn: a plan's levels do not match its source's");
  }
  at::Generator generator = at::detail::createCPUGenerator(plan.seed);
  SearchState state;
  torch::Tensor output;
  double noise_std = 0;
  for (int l = 0; l < count; ++l) {
    const double start = monotonic_s();
    bool exact = true;
    if (l == 0) {
      output = match_coarsest(source[0], plan, patch, params, progress, state, generator, exact,
                              noise_std);
    } else {
      output = match_level(source[l], resize_volume(output, plan.sizes[l]), plan, l, patch, params,
                           progress, state, generator, exact);
    }
    progress.level_done(output, plan.sizes.back());
    if (stats) {
      const VolumeSize size = plan.sizes[l];
      stats->levels.push_back({size.width, size.height, size.frames, plan.rounds[l],
                               exact ? "exact" : "patchmatch", monotonic_s() - start});
    }
  }
  if (stats) stats->noise_std = noise_std;
  return output;
}

}  // namespace atelier::patchnn
