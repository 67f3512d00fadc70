#include "option_checks.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace atelier::cli {
namespace {

std::string number_text(double value) {
  if (value == std::numeric_limits<double>::max()) return "any";
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

}  // namespace

CLI::Validator number_in(double min, double max) {
  const std::string range = max == std::numeric_limits<double>::max()
                                ? "at least " + number_text(min)
                                : "in [" + number_text(min) + ", " + number_text(max) + "]";
  return CLI::Validator(
      [min, max, range](std::string& text) -> std::string {
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(value))
          return "'" + text + "' is not a number " + range;
        if (value < min || value > max) return text + " is not " + range;
        return {};
      },
      "NUMBER " + range);
}

CLI::Validator seed_value() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        const std::string problem =
            "'" + text + "' is not a seed (a whole number from 0 to 18446744073709551615)";
        // Leading zeros are refused: CLI11 would read "010" as octal.
        if (text.empty() || text.size() > 20 || (text.size() > 1 && text[0] == '0')) return problem;
        for (char c : text)
          if (c < '0' || c > '9') return problem;
        errno = 0;
        std::strtoull(text.c_str(), nullptr, 10);
        return errno == ERANGE ? problem : std::string();
      },
      "SEED");
}

}  // namespace atelier::cli
