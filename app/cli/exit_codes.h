// The exit codes of atelier-cli (documented in README.md), shared by the launcher and the engine
// binary, and how a command line that CLI11 refuses maps to one of them.
#pragma once

#include <CLI/Error.hpp>

#include <string>

namespace atelier::cli {

enum ExitCode {
  kExitOk = 0,
  kExitUsage = 1,
  kExitBadInput = 2,
  kExitCancelled = 3,
  kExitInternal = 4
};

// A value outside its option's range, or a file that does not exist, is bad input (2); a
// command line that does not parse (an unknown option, a missing one, a word that is not one of
// an option's choices: CLI11's IsMember says "x not in {a,b}") is a usage error (1).
inline int exit_code_for_parse_error(const CLI::ParseError& e) {
  const bool bad_value = dynamic_cast<const CLI::ValidationError*>(&e) &&
                         std::string(e.what()).find(" not in {") == std::string::npos;
  return bad_value ? kExitBadInput : kExitUsage;
}

}  // namespace atelier::cli
