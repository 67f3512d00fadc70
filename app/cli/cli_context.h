// State and output helpers shared by the atelier-cli commands.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "atelier/compute.h"
#include "atelier/file_checks.h"
#include "atelier/job.h"
#include "atelier/json_text.h"
#include "exit_codes.h"

namespace atelier::cli {

// Options every command may take, and the output conventions: human text on a terminal, or with
// --json one JSON object per line on stdout (progress events, then one result object).
struct Context {
  bool json = false;
  ComputeOptions compute;
  std::vector<std::string> arguments;  // the command line as main() received it

  void add_json_flag(CLI::App& command);
  void add_compute_options(CLI::App& command);

  // Prints `result` as {"event":"result",...} with --json, else calls human().
  void print_result(const nlohmann::json& result, const std::function<void()>& human) const;
  // Callbacks that draw a progress bar (terminal) or print progress events (--json), and stop
  // when Ctrl-C was pressed.
  Callbacks job_callbacks(const std::string& title, const std::string& preview_dir = "") const;
};

// Options of every `train <method>` command: --preset, --out, --resume, --seed, --set, ...
struct TrainCommon {
  std::string preset = "preview";
  std::string out;
  std::string resume;
  std::uint64_t seed = 1;
  std::vector<std::string> overrides;  // key=value applied to the preset's params
  int preview_every = 0;
  std::string preview_dir;  // write previews here as PNG files
  double checkpoint_every_s = 300;

  void add_to(CLI::App& command);
  TrainOptions options(const Context& context) const;
  // A rank of a data-parallel training: also `world`, and "auto" takes the rank's GPU.
  TrainOptions options(const Context& context, const DistributedOptions& world) const;
  // Before any work: --out and --previews can be written and are none of `inputs`.
  void check_outputs(const std::vector<NamedPath>& inputs) const;
};

// Data-parallel training options of the methods that train on a folder: --world-size, --rank,
// --rendezvous and --rendezvous-timeout, or, when --world-size is not given, the environment
// that torchrun-style launchers set (WORLD_SIZE, RANK, MASTER_ADDR, MASTER_PORT).
struct DistributedCommon {
  DistributedOptions given;
  CLI::Option* world_size_option = nullptr;

  void add_to(CLI::App& command);
  // The options in force. Error(Usage) naming the option or variable when one is wrong.
  DistributedOptions resolve() const;
};

// Prints a finished (or stopped) training and returns its exit code (0, or 3 when stopped).
int report_training(const Context& context, const TrainResult& result);

// The callbacks of this process's rank of `world` in a job titled `title`: rank 0 (or a job of
// one process) gets job_callbacks(title, preview_dir); the others stay quiet (Ctrl-C still stops
// them) and say on stderr that they started.
Callbacks rank_callbacks(const Context& context, const DistributedOptions& world,
                         const std::string& title, const std::string& preview_dir = "");

// Runs `train` as this process's rank of `world`. Rank 0 (or a training of one process) reports
// progress, previews into `preview_dir` and the result, as report_training does; the other ranks
// train quietly and say on stderr that they started and how they ended (Ctrl-C still stops
// them). Returns the exit code.
int train_as_rank(const Context& context, const DistributedOptions& world,
                  const std::string& method, const std::string& preview_dir,
                  const std::function<TrainResult(const Callbacks&)>& train);

nlohmann::json to_json(const Progress& progress);

}  // namespace atelier::cli
