// The outer loop of the multi-scale trainers (singan, analogy, videogen): scale by scale, step by
// step, from wherever a (resumed) run stands to the end. Between steps it obeys should_stop(),
// reports progress (at most every 0.2 s, and at each scale's first and last step), asks for a
// preview every `preview_every` steps (and one early, see PreviewSchedule) and a resumable save
// every `checkpoint_every_s` seconds,
// and logs each scale's time. Torch-free: the trainer supplies the steps as hooks.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "atelier/job.h"
#include "core/preview_schedule.h"
#include "core/progress_clock.h"
#include "core/training_failure.h"

namespace atelier {

struct ScaleLoopHooks {
  std::function<NamedLosses()> iterate;  // one training step of the current scale
  std::function<void()> next_scale;      // enter the next scale (counters already advanced)
  std::function<void()> preview;
  std::function<void(bool finished)> save;
  std::function<std::string(int scale)> describe;  // e.g. "64x48" for the log line of a scale
};

// Where a run stands; the trainer owns it (its model files store it).
struct ScalePosition {
  int scale = 0;                 // 0-based scale being trained
  std::int64_t scale_step = 0;   // steps done at that scale
  std::int64_t global_step = 0;  // steps done over all scales and runs
};

class ScaleLoop {
 public:
  // `stages`: one per scale, in order (their steps are the scales' step counts).
  ScaleLoop(std::string method, const TrainOptions& options, const Callbacks& callbacks,
            std::vector<ProgressClock::Stage> stages, double elapsed_before_s);

  // Trains to the end or until stopped, then saves (finished or resumable) and returns the
  // result. `position` advances as it goes. A loss that is no longer finite ends the run with
  // Error(BadInput); that and any other failure (out of memory included) say where the run was
  // and what the model file keeps (the last save stays as it was).
  TrainResult run(ScalePosition& position, const ScaleLoopHooks& hooks);

  // Training time over all runs so far (for the model file).
  double elapsed_s() const { return clock_.elapsed_s(); }

 private:
  bool train_scale(ScalePosition& position, const ScaleLoopHooks& hooks);
  void report(const ScalePosition& position, bool force);
  std::string where(const ScalePosition& position) const;  // "scale 3/5, step 120"

  std::string method_;
  const TrainOptions& options_;
  const Callbacks& callbacks_;
  ProgressClock clock_;
  PreviewSchedule previews_;
  NamedLosses last_;
  double last_report_s_ = -1;
  double last_checkpoint_s_ = 0;
  SaveRecord saves_;
};

}  // namespace atelier
