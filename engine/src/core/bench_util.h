// Timing and memory helpers of the method benchmarks.
#pragma once

#include <functional>

namespace atelier {

// Seconds on a monotonic clock.
double monotonic_s();

// The median wall time of `repeats` calls of f, in milliseconds (repeats >= 1).
double median_ms(int repeats, const std::function<void()>& f);

// The process's peak resident set size so far, in MB.
double peak_rss_mb();

}  // namespace atelier
