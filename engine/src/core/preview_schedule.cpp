#include "core/preview_schedule.h"

#include "core/bench_util.h"

namespace atelier {
namespace {
constexpr double kFirstPreviewAfter_s = 0.5;
}

PreviewSchedule::PreviewSchedule(int every) : every_(every), start_s_(monotonic_s()) {}

bool PreviewSchedule::due(std::int64_t steps) {
  if (every_ <= 0) return false;
  const bool due =
      steps % every_ == 0 || (!shown_ && monotonic_s() - start_s_ >= kFirstPreviewAfter_s);
  shown_ = shown_ || due;
  return due;
}

}  // namespace atelier
