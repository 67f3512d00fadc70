// train METHOD --inputs LIST [--shard I/N] --out DIR: the single-input methods (singan, analogy,
// videogen; patchnn's `patch sample`) over many inputs, so that a job array spreads them over
// machines. Each line of LIST is one input (analogy: two paths, tab- or space-separated); this
// process takes the lines whose index is I modulo N and runs each in a process of its own, writing
// DIR/<name>.atl (a training) or DIR/<name>/ (a command that writes a folder). A finished output
// is skipped on a rerun, and an unfinished model file resumed.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "commands.h"

namespace atelier::cli {

// What the command writes for one input.
struct ListOutput {
  // Empty: a model file, DIR/<name>.atl. Else the command writes a folder, DIR/<name>, and this
  // names the file it writes there last (from the command's options), which marks it done.
  std::function<std::string(const CLI::App&)> last_file;
};

// Adds --inputs and --shard to `command` (as `train <id>`), whose `input_options` (e.g.
// {"--image"}) a line fills; they stop being required on the command line. Returns the action:
// `run` itself when --inputs is not given, else the loop over this shard's inputs.
Action with_input_list(CLI::App& command, const std::vector<std::string>& input_options,
                       Context& context, Action run, const ListOutput& output = {});

}  // namespace atelier::cli
