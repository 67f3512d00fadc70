// train METHOD --inputs LIST [--shard I/N] --out DIR: the single-input methods (singan, analogy,
// videogen) over many inputs, so that a job array spreads them over machines. Each line of LIST
// is one input (analogy: two paths, tab- or space-separated); this process takes the lines whose
// index is I modulo N and trains each in a process of its own, writing DIR/<name>.atl. A finished
// file is skipped on a rerun and an unfinished one resumed.
#pragma once

#include <string>
#include <vector>

#include "commands.h"

namespace atelier::cli {

// Adds --inputs and --shard to `train <id>`, whose `input_options` (e.g. {"--image"}) a line
// fills; they stop being required on the command line. Returns the action: `train` itself when
// --inputs is not given, else the loop over this shard's inputs.
Action with_input_list(CLI::App& command, const std::vector<std::string>& input_options,
                       Context& context, Action train);

}  // namespace atelier::cli
