// The coarse-to-fine loop shared by every patchnn operation: per level a few rounds of nearest-
// neighbour search (every patch of the current output against the source level's keys) and
// fold-back (the chosen sharp value patches blended into the next output), then up one level.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "atelier/job.h"
#include "atelier/patchnn.h"
#include "core/progress_clock.h"
#include "methods/patchnn/nn_search.h"
#include "methods/patchnn/patch_features.h"
#include "methods/patchnn/volume_pyramid.h"

namespace atelier::patchnn {

// One level of the source, ready to be searched: its sharp values and its keys (the coarser
// level brought up to this size; at the coarsest level the level itself) as features.
struct SourceLevel {
  torch::Tensor values;
  PatchBasis basis;
  PatchSet keys;
  PatchSet sharp_keys;  // the values' own patches (when asked for; see RunPlan::sharp_keys)
};

// Prepares a source pyramid (coarsest first) once, for any number of runs; with `sharp_keys`
// the values' own patches too.
std::vector<SourceLevel> prepare_source(const std::vector<torch::Tensor>& levels,
                                        const PatchShape& patch, int feature_dims, bool sharp_keys);

// One output: its size at every level of the source, the rounds there, and where it starts.
struct RunPlan {
  std::string label;  // the progress phase ("sample", "a->b", "variation 2", ...)
  std::vector<VolumeSize> sizes;
  std::vector<int> rounds;
  torch::Tensor initial;  // C x T x H x W at sizes[0]
  // New samples: unit noise at sizes[0], added to `initial` times noise_std ([0, 1] units).
  // When a larger share than max_in_place of the coarsest level's patches come back in place
  // (the sample would copy the source), the noise grows by half and the level is redone.
  torch::Tensor noise;
  double noise_std = 0;
  double max_in_place = 1;
  double alpha = 0;       // completeness; 0: off
  // After a level's first round, compare with the sharp level's own patches instead of the
  // coarser level brought up (VGPNN: the output is sharp by then, and so keeps fine motion).
  bool sharp_keys = false;
  std::uint64_t seed = 1;
};

// Progress, previews and stop requests of a job made of one or more runs (both directions of an
// analogy, n variations): one ETA for the whole job.
class JobProgress {
 public:
  JobProgress(const std::vector<RunPlan>& runs, const Callbacks& callbacks);
  // Called by synthesize().
  void begin_run(std::size_t run) { run_ = run; }
  void round_done(int level, int round, int levels);
  void level_done(const torch::Tensor& output, const VolumeSize& final_size) const;
  void check_stop() const;

 private:
  const Callbacks& callbacks_;
  ProgressClock clock_;
  std::vector<std::size_t> first_stage_;  // per run
  std::size_t run_ = 0;
};

// What a run reports besides its output.
struct RunStats {
  std::vector<PatchnnLevelStats> levels;
  double noise_std = 0;  // the noise used at the coarsest level (raised when needed)
};

// Runs one plan on a prepared source. `stats`, when given, receives each level's statistics and
// the noise used.
torch::Tensor synthesize(const std::vector<SourceLevel>& source, const RunPlan& plan,
                         const PatchShape& patch, const PatchnnParams& params,
                         JobProgress& progress, RunStats* stats = nullptr);

}  // namespace atelier::patchnn
