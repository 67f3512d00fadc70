// A one-line progress bar with ETA for terminals; plain periodic lines when stderr is not a TTY.
#pragma once

#include <chrono>
#include <string>

#include "atelier/job.h"

namespace atelier::cli {

class ProgressPrinter {
 public:
  explicit ProgressPrinter(std::string title);
  ~ProgressPrinter();  // ends the bar's line
  void update(const Progress& progress);

 private:
  std::string title_;
  bool tty_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_line_{};
};

std::string format_duration(double seconds);  // "1:05", "1:02:03", "?" when negative

}  // namespace atelier::cli
