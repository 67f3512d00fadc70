// atelier-cli's command tree as data. The launcher (launcher_main.cpp) rebuilds the tree from it
// to answer --help and usage errors at once, without loading LibTorch (whose static initialisers
// alone take 0.65 s), and hands every well-formed command line to the engine binary. The tree is
// exported at build time from the real one (grammar_export_main.cpp), so the two cannot drift.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace atelier::cli {

// Every command, option and positional of `app` with what its help shows and what its parse
// checks (names, value counts, required, choices, groups). `version` is what --version prints.
// Throws std::logic_error for a CLI11 feature the launcher does not rebuild (needs, excludes,
// hidden options), so that a new option using one fails the build's test, not a user.
nlohmann::json export_grammar(CLI::App& app, const std::string& version);

// The tree that export_grammar described. It has no callbacks: parsing with it only says whether
// the command line is well formed, and prints the same help as the real tree.
std::unique_ptr<CLI::App> app_from_grammar(const nlohmann::json& grammar);

}  // namespace atelier::cli
