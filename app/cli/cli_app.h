// The command tree of atelier-cli. main() parses the user's arguments with it, the CLI fuzz target
// (tests/fuzz) parses arbitrary ones.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>

#include "commands.h"

namespace atelier::cli {

// Every command and option; the chosen command's work is left in `action` after a parse, and
// -v sets `verbose`. The app refers to all three: they must outlive it.
std::unique_ptr<CLI::App> make_cli_app(Context& context, Action& action, bool& verbose);

}  // namespace atelier::cli
