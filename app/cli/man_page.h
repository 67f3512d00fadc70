// atelier-cli's manual page (roff, section 1), written at build time from the real command tree, so
// that it names every command and option with the words of their --help.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace atelier::cli {

std::string manual_page(const CLI::App& app, const std::string& version);

}  // namespace atelier::cli
