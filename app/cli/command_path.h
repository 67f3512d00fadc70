// Names the command the user mistyped. CLI11 answers an unknown command word ("atelier-cli trian",
// "atelier-cli train singna") with "A subcommand is required", which names neither the word nor
// the commands there are; this walk through the arguments does, before CLI11 parses them.
#pragma once

#include <CLI/CLI.hpp>

namespace atelier::cli {

// Error(Usage) "unknown command 'X' (atelier-cli train offers: ...)" for a word where a command
// must come, or "... needs a command: ..." when it is missing. Leaves --help and --version to
// CLI11.
void check_command_words(CLI::App& app, int argc, const char* const* argv);

}  // namespace atelier::cli
