#include "core/bench_util.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace atelier {

double monotonic_s() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

double median_ms(int repeats, const std::function<void()>& f) {
  std::vector<double> times;
  for (int i = 0; i < std::max(1, repeats); ++i) {
    const double start = monotonic_s();
    f();
    times.push_back(1000 * (monotonic_s() - start));
  }
  std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
  return times[times.size() / 2];
}

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;  // Linux: kilobytes
}

}  // namespace atelier
