// When a training loop shows a preview: every `every` steps, and once early, after the first step
// that ends half a second or more into the run, so that a person who pressed Train sees the
// model's first picture within a couple of seconds however slow or fast its steps are.
#pragma once

#include <cstdint>

namespace atelier {

class PreviewSchedule {
 public:
  explicit PreviewSchedule(int every);  // every <= 0: never
  // After `steps` steps of the run (counted as the loop counts them).
  bool due(std::int64_t steps);

 private:
  int every_;
  double start_s_;
  bool shown_ = false;
};

}  // namespace atelier
