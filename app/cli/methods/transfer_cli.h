// What disentangle's and masktransfer's CLI commands share (implemented in disentangle_cli.cpp):
// the two-folder training inputs, evaluation and benchmark, and option parsing helpers.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

#include "atelier/disentangle.h"
#include "cli_context.h"

namespace atelier::cli::transfer {

using Trainer = std::function<TrainResult(const TransferImages&, const Preset&,
                                          const TrainOptions&, const Callbacks&)>;
// image_size of a preset of `method` (read strictly by the method's own params struct).
using SizeOfPreset = std::function<int(const Preset&)>;

std::function<int()> add_train(const std::string& method, CLI::App& command, Context& context,
                               const TrainCommon& common, SizeOfPreset size, Trainer train);
std::function<int()> add_eval(const std::string& method, CLI::App& command, Context& context);
std::function<int()> add_bench(const std::string& method, CLI::App& command, Context& context);

Attribute parse_attribute(const std::string& text);  // "a" or "b" (any case)
CodePart parse_part(const std::string& text);        // common, a, b, all
// The options of the `strength` operation: --attribute a|b and --value in [0, 2].
void add_strength_options(CLI::App& command, std::string& attribute, double& value);
// The inputs of a `run` operation, for the check of its outputs (empty paths are skipped).
std::vector<NamedPath> run_inputs(const std::string& model, const std::string& image,
                                  const std::string& from, const std::string& onto,
                                  const std::string& to);

}  // namespace atelier::cli::transfer
