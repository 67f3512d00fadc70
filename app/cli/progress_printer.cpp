#include "progress_printer.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace atelier::cli {

std::string format_duration(double seconds) {
  if (seconds < 0 || !std::isfinite(seconds)) return "?";
  const long total = std::lround(seconds);
  char text[32];
  if (total >= 3600)
    std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", total / 3600, total / 60 % 60, total % 60);
  else
    std::snprintf(text, sizeof text, "%ld:%02ld", total / 60, total % 60);
  return text;
}

ProgressPrinter::ProgressPrinter(std::string title)
    : title_(std::move(title)), tty_(isatty(STDERR_FILENO) == 1) {}

ProgressPrinter::~ProgressPrinter() {
  if (drawn_ && tty_) std::fputc('\n', stderr);
}

void ProgressPrinter::update(const Progress& p) {
  const auto now = std::chrono::steady_clock::now();
  // Off a terminal (logs, CI) one line every few seconds is enough.
  if (!tty_ && drawn_ && now - last_line_ < std::chrono::seconds(5) && p.step != p.steps) return;
  last_line_ = now;

  std::ostringstream line;
  line << title_ << ' ' << p.phase;
  if (p.scales > 0) line << " scale " << p.scale << '/' << p.scales;
  if (p.steps > 0) {
    const double fraction = std::clamp(double(p.step) / double(p.steps), 0.0, 1.0);
    const int width = 24, filled = static_cast<int>(fraction * width);
    line << " [" << std::string(filled, '#') << std::string(width - filled, '-') << "] "
         << p.step << '/' << p.steps;
  }
  for (const auto& [name, value] : p.losses) line << ' ' << name << '=' << value;
  line << "  " << format_duration(p.elapsed_s) << " ETA " << format_duration(p.eta_s);

  if (tty_)
    std::fprintf(stderr, "\r\033[K%s", line.str().c_str());
  else
    std::fprintf(stderr, "%s\n", line.str().c_str());
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace atelier::cli
