// What each method adds to atelier-cli: its `train`, `run`, `eval` and `bench` commands.
// A method's file (methods/<id>_cli.cpp) fills one MethodCli; method_registry.cpp lists them.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "atelier/bench.h"
#include "cli_context.h"

namespace atelier::cli {

// What `video-variations VIDEO` asks of whichever method --method names: the options every
// method takes. A method adds its own options to the command (in a help group named after it).
struct VariationsRequest {
  std::string method;
  std::string video;
  int n = 4;
  std::string preset = "preview";
  std::string out;  // empty: <video name>_variations
  bool force = false;
  int start = 0;
  int frames = 0;  // 0: the method's default
  double fps = 0;
  int sample_frames = 0;  // frames per variation; 0: the clip's
  std::string size;       // WxH of the variations (W alone keeps the aspect); empty: the clip's
  std::uint64_t seed = 1;
  std::vector<std::string> overrides;
};

// The output folder of a request: its --out or <video name>_variations. Error(Usage) when it is
// a file, or a non-empty folder without --force (unless `may_exist`, e.g. to resume).
std::string variations_folder(const VariationsRequest& request, bool may_exist = false);

struct MethodCli {
  std::string id;
  std::string summary;
  // Adds `train <id>`'s own options (inputs) to `command`; returns the action that trains.
  std::function<std::function<int()>(CLI::App& command, Context& context,
                                     const TrainCommon& common)>
      add_train;
  // The options of `train <id>` that one input fills (singan {"--image"}, analogy {"--a",
  // "--b"}): they get `--inputs LIST --shard I/N` (input_list.h). Empty: trains on a folder.
  std::vector<std::string> train_inputs;
  // Lists the operations `run` offers, e.g. {"sample", "Random samples"}.
  std::vector<std::pair<std::string, std::string>> operations;
  // Adds the options of `run MODEL <operation>` to `command`; returns the action.
  std::function<std::function<int()>(const std::string& operation, CLI::App& command,
                                     Context& context, const std::string& model)>
      add_run;
  // Adds `eval <id>`'s options (its MODEL positional included); returns the action.
  // Empty: no evaluation yet.
  std::function<std::function<int()>(CLI::App& command, Context& context)> add_eval;
  // `eval <id>`'s line in the help; empty: "Evaluate a model of <id>" (methods without models
  // say what they measure instead).
  std::string eval_summary;
  // Adds `bench <id>` options; returns the action. Empty: no benchmark yet.
  std::function<std::function<int()>(CLI::App& command, Context& context)> add_bench;
  // The multi-scale methods: their benchmark on random inputs of the preset's size (bench load).
  // Empty for the other methods.
  std::function<MultiScaleBenchResult(const MultiScaleBenchOptions& options)> bench_multiscale;
  // Adds the method's own top-level commands to `app` (e.g. video-variations); sets `action`
  // when one of them is chosen. Empty: none.
  std::function<void(CLI::App& app, Context& context, std::function<int()>& action)> add_commands;
  // Offers `video-variations --method <id>`: adds the method's own options to the shared command
  // (filling `request` is the command's job) and returns the action. Empty: not offered.
  std::function<std::function<int()>(CLI::App& command, Context& context,
                                     const VariationsRequest& request)>
      add_video_variations;
};

const std::vector<MethodCli>& method_clis();
const MethodCli* find_method_cli(const std::string& id);

}  // namespace atelier::cli
