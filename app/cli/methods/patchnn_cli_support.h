// What patchnn's CLI files share: the options of every `patch` command, and the eval and bench
// commands (patchnn_eval_cli.cpp).
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "atelier/patchnn.h"
#include "cli_context.h"

namespace atelier::cli {

// --preset, --set, --seed, --out.
struct PatchCommon {
  std::string preset = "preview";
  std::vector<std::string> overrides;
  std::uint64_t seed = 1;
  std::string out;

  void add_to(CLI::App& command, const std::string& out_help);
  PatchnnParams params() const;  // the preset with the overrides
};

std::function<int()> add_patchnn_eval(CLI::App& command, Context& context);
std::function<int()> add_patchnn_bench(CLI::App& command, Context& context);

}  // namespace atelier::cli
