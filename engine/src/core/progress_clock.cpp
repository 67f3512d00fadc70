// ETA from measured speed in cost units: the current stage's own speed, with the earlier stages'
// speed as a prior while the current stage has done only a few steps.
#include "core/progress_clock.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "atelier/error.h"

namespace atelier {
namespace {

// The earlier stages' speed counts as this many steps of the current stage.
constexpr double kPriorSteps = 10;

double steady_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

ProgressClock::ProgressClock(std::vector<Stage> stages, double elapsed_before_s, Now now)
    : stages_(std::move(stages)),
      elapsed_before_s_(elapsed_before_s),
      now_(now ? std::move(now) : Now(steady_seconds)) {
  for (const Stage& s : stages_) {
    if (s.steps < 0 || !(s.step_cost >= 0) || !std::isfinite(s.step_cost))
      throw Error(ErrorKind::Internal, "progress clock: stage '" + s.phase +
                                           "' has a negative step count or a bad step cost");
    work_before_.push_back(total_work_);
    total_work_ += static_cast<double>(s.steps) * s.step_cost;
  }
  start_ = now_();
}

double ProgressClock::work_at(std::size_t stage, std::int64_t step) const {
  const Stage& s = stages_[stage];
  return work_before_[stage] +
         static_cast<double>(std::clamp<std::int64_t>(step, 0, s.steps)) * s.step_cost;
}

double ProgressClock::seconds_per_cost() const {
  const double work = last_.work - stage_start_.work;
  const double time = last_.time - stage_start_.time;
  if (previous_rate_ < 0) return work > 0 ? time / work : -1;
  const double prior_work = kPriorSteps * stages_[stage_].step_cost;
  if (prior_work + work <= 0) return previous_rate_;
  return (previous_rate_ * prior_work + time) / (prior_work + work);
}

Progress ProgressClock::update(std::size_t stage, std::int64_t step,
                               std::vector<std::pair<std::string, double>> losses) {
  if (stage >= stages_.size())
    throw Error(ErrorKind::Internal, "progress clock: stage " + std::to_string(stage) +
                                         " of a job with " + std::to_string(stages_.size()));
  const Mark now{now_(), work_at(stage, step)};
  if (!started_) {
    started_ = true;
    stage_start_ = now;
  } else if (stage != stage_) {
    previous_rate_ = seconds_per_cost();  // the finished stage's speed becomes the prior
    stage_start_ = last_;
  }
  stage_ = stage;
  last_ = now;

  const double rate = seconds_per_cost();
  if (now.work >= total_work_)
    eta_s_ = 0;
  else
    eta_s_ = rate < 0 ? -1 : (total_work_ - now.work) * rate;

  const Stage& s = stages_[stage];
  Progress progress;
  progress.phase = s.phase;
  progress.scale = s.scale;
  for (const Stage& other : stages_) progress.scales = std::max(progress.scales, other.scale);
  progress.step = step;
  progress.steps = s.steps;
  progress.losses = std::move(losses);
  progress.elapsed_s = elapsed_s();
  progress.eta_s = eta_s_;
  return progress;
}

double ProgressClock::elapsed_s() const {
  return elapsed_before_s_ + (now_() - start_);
}

double ProgressClock::fraction_done() const {
  if (total_work_ <= 0) return started_ ? 1.0 : 0.0;
  return started_ ? std::min(1.0, last_.work / total_work_) : 0.0;
}

}  // namespace atelier
