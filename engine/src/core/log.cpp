#include "core/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>

#include "atelier/log.h"

namespace atelier {
namespace log {
namespace {

spdlog::level::level_enum spdlog_level(Level level) {
  switch (level) {
    case Level::debug:
      return spdlog::level::debug;
    case Level::info:
      return spdlog::level::info;
    case Level::warn:
      return spdlog::level::warn;
  }
  return spdlog::level::info;
}

}  // namespace

bool enabled(Level level) {
  return spdlog::default_logger_raw()->should_log(spdlog_level(level));
}

void write(Level level, const std::string& line) {
  spdlog::default_logger_raw()->log(spdlog_level(level), "{}", line);
}

namespace detail {

std::string format(std::string_view pattern, const std::vector<Arg>& args) {
  std::string out;
  std::size_t next = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const std::size_t close = pattern.find('}', i);
    if (pattern[i] != '{' || close == std::string_view::npos || next >= args.size()) {
      out += pattern[i];
      continue;
    }
    const std::string_view spec = pattern.substr(i + 1, close - i - 1);
    const Arg& a = args[next++];
    if (spec.size() >= 3 && spec.substr(0, 2) == ":." && spec.back() == 'f') {
      char text[64];
      const int digits = std::atoi(std::string(spec.substr(2, spec.size() - 3)).c_str());
      std::snprintf(text, sizeof text, "%.*f", digits, a.number);
      out += text;
    } else {
      out += a.text;
    }
    i = close;
  }
  return out;
}

}  // namespace detail
}  // namespace log

void log_to_stderr(bool verbose) {
  spdlog::set_default_logger(spdlog::stderr_color_mt("atelier"));
  spdlog::set_level(verbose ? spdlog::level::debug : spdlog::level::info);
}

}  // namespace atelier
