// The engine's log lines: log::info("{}: scale {} took {:.1f} s", method, k, seconds).
//
// Files that include LibTorch must not include spdlog: a LibTorch 2.x package brings its own fmt
// headers (torch/include/fmt), which come first on those files' include path and do not match the
// system's spdlog (spdlog 1.12 against torch 2.11's fmt 12 does not compile). So the lines are
// formatted here, without fmt, and written by log.cpp, which is built without torch. The patterns
// know "{}" and "{:.Nf}", all the engine uses.
#pragma once

#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace atelier::log {

enum class Level { debug, info, warn };

bool enabled(Level level);
void write(Level level, const std::string& line);

namespace detail {

struct Arg {
  std::string text;   // for "{}"
  double number = 0;  // for "{:.Nf}"
};

template <typename T>
Arg arg(const T& value) {
  Arg a;
  std::ostringstream text;
  text << value;
  a.text = text.str();
  if constexpr (std::is_arithmetic_v<T>) a.number = static_cast<double>(value);
  return a;
}

std::string format(std::string_view pattern, const std::vector<Arg>& args);

template <typename... Args>
void line(Level level, std::string_view pattern, const Args&... args) {
  if (enabled(level)) write(level, format(pattern, {arg(args)...}));
}

}  // namespace detail

// The same formatting for text that is not a log line (a note in a report).
template <typename... Args>
std::string text(std::string_view pattern, const Args&... args) {
  return detail::format(pattern, {detail::arg(args)...});
}

template <typename... Args>
void debug(std::string_view pattern, const Args&... args) {
  detail::line(Level::debug, pattern, args...);
}
template <typename... Args>
void info(std::string_view pattern, const Args&... args) {
  detail::line(Level::info, pattern, args...);
}
template <typename... Args>
void warn(std::string_view pattern, const Args&... args) {
  detail::line(Level::warn, pattern, args...);
}

}  // namespace atelier::log
