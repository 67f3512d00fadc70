// The atelier-cli commands. Each adds its subcommand to the app and sets `action` to what runs
// when that subcommand was chosen; main() parses, then runs the chosen action.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

#include "cli_context.h"

namespace atelier::cli {

using Action = std::function<int()>;

// Makes `run` the action when `command` is the chosen subcommand.
inline void action_for(CLI::App* command, Action& action, Action run) {
  command->callback([&action, run = std::move(run)] { action = run; });
}

void add_info_command(CLI::App& app, Context& context, Action& action);
void add_presets_command(CLI::App& app, Context& context, Action& action);
void add_inspect_command(CLI::App& app, Context& context, Action& action);
void add_make_dataset_command(CLI::App& app, Context& context, Action& action);
void add_train_command(CLI::App& app, Context& context, Action& action);
void add_run_command(CLI::App& app, Context& context, Action& action);
void add_eval_command(CLI::App& app, Context& context, Action& action);
void add_bench_command(CLI::App& app, Context& context, Action& action);
// bench scale: under `bench`, when oneshot (the data-parallel method it times) is built.
void add_bench_scale_command(CLI::App& bench, Context& context, Action& action);
void add_video_variations_command(CLI::App& app, Context& context, Action& action);

}  // namespace atelier::cli
