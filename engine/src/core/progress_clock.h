// Elapsed time and an ETA for a training job whose steps cost differently from stage to stage
// (scales of a pyramid, phases of a method). Torch-free; trainers own one and report through it.
//
//   ProgressClock clock({{"train", 1, 2000, 25 * 25}, {"train", 2, 2000, 33 * 33}, ...});
//   callbacks.progress(clock.update(scale_index, step, {{"loss_d", d}, {"loss_g", g}}));
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "atelier/job.h"

namespace atelier {

class ProgressClock {
 public:
  struct Stage {
    std::string phase;  // Progress::phase while in this stage
    int scale = 0;      // Progress::scale (1-based); 0 when the job has no scales
    std::int64_t steps = 0;
    double step_cost = 1;  // relative cost of one step (e.g. pixels); only ratios matter, >= 0
  };
  using Now = std::function<double()>;  // monotonic seconds; injectable for tests

  // `elapsed_before_s`: time already spent in earlier runs of a resumed job.
  explicit ProgressClock(std::vector<Stage> stages, double elapsed_before_s = 0, Now now = {});

  // `step` steps of stage `stage` (0-based, stages run in order) are done. Returns a Progress
  // with phase, scale, scales, step, steps, losses, elapsed and ETA filled. A resumed job simply
  // starts reporting mid-way: only work done in this run measures the speed.
  Progress update(std::size_t stage, std::int64_t step,
                  std::vector<std::pair<std::string, double>> losses = {});

  double elapsed_s() const;
  double eta_s() const { return eta_s_; }  // as of the last update; < 0 while unknown
  double fraction_done() const;            // of the whole job's cost, as of the last update
  const std::vector<Stage>& stages() const { return stages_; }

 private:
  // Cost units done when `step` steps of `stage` are done (earlier stages complete).
  double work_at(std::size_t stage, std::int64_t step) const;
  double seconds_per_cost() const;  // < 0 while unknown

  struct Mark {
    double time = 0;
    double work = 0;
  };

  std::vector<Stage> stages_;
  std::vector<double> work_before_;  // cost of all stages before stage i
  double total_work_ = 0;
  double elapsed_before_s_ = 0;
  Now now_;
  double start_ = 0;

  bool started_ = false;       // an update has been seen in this run
  std::size_t stage_ = 0;      // stage of the last update
  Mark last_;                  // the last update
  Mark stage_start_;           // the last update before the current stage began
  double previous_rate_ = -1;  // seconds per cost unit measured in earlier stages of this run
  double eta_s_ = -1;
};

}  // namespace atelier
