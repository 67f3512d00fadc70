#include "core/scale_loop.h"

#include "atelier/compute.h"
#include "core/bench_util.h"
#include "core/log.h"

namespace atelier {
namespace {
constexpr double kReportInterval_s = 0.2;
}

ScaleLoop::ScaleLoop(std::string method, const TrainOptions& options, const Callbacks& callbacks,
                     std::vector<ProgressClock::Stage> stages, double elapsed_before_s)
    : method_(std::move(method)),
      options_(options),
      callbacks_(callbacks),
      clock_(std::move(stages), elapsed_before_s),
      previews_(options.preview_every),
      saves_(options.out) {}

TrainResult ScaleLoop::run(ScalePosition& position, const ScaleLoopHooks& hooks) {
  const double start = monotonic_s();
  last_checkpoint_s_ = start;
  const int scales = static_cast<int>(clock_.stages().size());
  bool finished = false;
  try {
    while (train_scale(position, hooks)) {
      if (position.scale + 1 >= scales) {
        finished = true;
        break;
      }
      ++position.scale;
      position.scale_step = 0;
      hooks.next_scale();
    }
    hooks.save(finished);
  } catch (...) {
    rethrow_training_failure(method_, where(position), saves_);
  }
  if (!finished) {
    log::info("{}: stopped at scale {}/{} step {}; {} is resumable", method_, position.scale + 1,
              scales, position.scale_step, options_.out);
  }
  TrainResult result;
  result.model_path = options_.out;
  result.finished = finished;
  result.step = position.global_step;
  result.seconds = monotonic_s() - start;
  result.final_losses = last_;
  return result;
}

bool ScaleLoop::train_scale(ScalePosition& p, const ScaleLoopHooks& hooks) {
  const double start = monotonic_s();
  const std::int64_t first_step = p.scale_step;
  const std::int64_t steps = clock_.stages()[p.scale].steps;
  while (p.scale_step < steps) {
    if (callbacks_.stop_requested()) return false;
    adapt_threads();
    last_ = hooks.iterate();
    require_finite_losses(last_, method_, where(p), saves_);
    ++p.scale_step;
    ++p.global_step;
    report(p, p.scale_step == first_step + 1 || p.scale_step == steps);
    if (previews_.due(p.scale_step)) hooks.preview();
    if (options_.checkpoint_every_s > 0 &&
        monotonic_s() - last_checkpoint_s_ >= options_.checkpoint_every_s) {
      hooks.save(false);
      saves_.saved(p.global_step);
      last_checkpoint_s_ = monotonic_s();
    }
  }
  if (const std::int64_t done = p.scale_step - first_step; done > 0) {
    const double seconds = monotonic_s() - start;
    log::info("{}: scale {}/{} ({}) took {:.1f} s, {:.1f} ms per iteration", method_, p.scale + 1,
              clock_.stages().size(), hooks.describe(p.scale), seconds, 1000 * seconds / done);
  }
  return true;
}

std::string ScaleLoop::where(const ScalePosition& p) const {
  return "scale " + std::to_string(p.scale + 1) + "/" + std::to_string(clock_.stages().size()) +
         ", step " + std::to_string(p.scale_step + 1);
}

void ScaleLoop::report(const ScalePosition& p, bool force) {
  const double now = monotonic_s();
  if (!force && now - last_report_s_ < kReportInterval_s) return;
  last_report_s_ = now;
  callbacks_.progress(clock_.update(static_cast<std::size_t>(p.scale), p.scale_step, last_));
}

}  // namespace atelier
