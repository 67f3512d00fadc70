#include "cli_context.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

#include "atelier/error.h"
#include "option_checks.h"
#include "progress_printer.h"
#include "stop_signal.h"

namespace atelier::cli {

nlohmann::json to_json(const Progress& p) {
  nlohmann::json losses = nlohmann::json::object();
  for (const auto& [name, value] : p.losses) losses[name] = value;
  return {{"event", "progress"}, {"phase", p.phase},         {"scale", p.scale},
          {"scales", p.scales},  {"step", p.step},           {"steps", p.steps},
          {"losses", losses},    {"elapsed_s", p.elapsed_s}, {"eta_s", p.eta_s}};
}

void Context::add_json_flag(CLI::App& command) {
  command.add_flag("--json", json, "Print JSON objects (one per line) instead of text");
}

void Context::add_compute_options(CLI::App& command) {
  command.add_option("--device", compute.device, "auto, cpu, cuda or cuda:N")
      ->capture_default_str();
  command
      .add_option("--threads", compute.threads,
                  "CPU threads (0: automatic, every core while other programs leave them free)")
      ->check(number_in(0, kMaxThreads))
      ->capture_default_str();
}

void Context::print_result(const nlohmann::json& result, const std::function<void()>& human) const {
  if (json) {
    nlohmann::json event = {{"event", "result"}};
    event.update(result);
    std::cout << json_text(event) << std::endl;
  } else if (human) {
    human();
  }
}

Callbacks Context::job_callbacks(const std::string& title, const std::string& preview_dir) const {
  Callbacks callbacks;
  if (json) {
    callbacks.on_progress = [](const Progress& p) {
      std::cout << json_text(to_json(p)) << std::endl;
    };
  } else {
    auto printer = std::make_shared<ProgressPrinter>(title);
    callbacks.on_progress = [printer](const Progress& p) { printer->update(p); };
  }
  if (!preview_dir.empty()) {
    check_output_folder("--previews", preview_dir);
    std::filesystem::create_directories(preview_dir);
    auto count = std::make_shared<int>(0);
    callbacks.on_preview = [preview_dir, count](const Image& image) {
      char name[32];
      std::snprintf(name, sizeof name, "/preview_%05d.png", (*count)++);
      save_image(image, preview_dir + name);
    };
  }
  enable_clean_stop();
  callbacks.should_stop = [] { return stop_requested(); };
  return callbacks;
}

void TrainCommon::add_to(CLI::App& command) {
  command.add_option("--preset", preset, "tiny, preview, standard, paper, or a .json file")
      ->capture_default_str();
  command.add_option("--out", out, "Model file to write (.atl)")->required();
  command.add_option("--resume", resume, "Continue a stopped training from this model file")
      ->check(CLI::ExistingFile);
  command.add_option("--seed", seed, "Random seed (same seed, same result on CPU)")
      ->check(seed_value())
      ->capture_default_str();
  command.add_option("--set", overrides, "Override a preset parameter: KEY=VALUE (repeatable)");
  command.add_option("--preview-every", preview_every, "Steps between previews (0: none)")
      ->check(number_in(0, 1e9));
  command.add_option("--previews", preview_dir, "Folder for preview PNGs");
  command
      .add_option("--checkpoint-every", checkpoint_every_s,
                  "Seconds between resumable saves (0: only at the end)")
      ->check(number_in(0, 1e9))
      ->capture_default_str();
}

TrainOptions TrainCommon::options(const Context& context, const DistributedOptions& world) const {
  TrainOptions options = this->options(context);
  options.distributed = world;
  options.compute.auto_cuda_device = world.local_rank;
  return options;
}

TrainOptions TrainCommon::options(const Context& context) const {
  TrainOptions options;
  options.out = out;
  options.resume = resume;
  options.compute = context.compute;
  options.seed = seed;
  options.preview_every = preview_every > 0 ? preview_every : (preview_dir.empty() ? 0 : 100);
  options.checkpoint_every_s = checkpoint_every_s;
  return options;
}

void DistributedCommon::add_to(CLI::App& command) {
  world_size_option = command
                          .add_option("--world-size", given.world_size,
                                      "Processes training together, on this machine or others "
                                      "(default: $WORLD_SIZE, else 1)")
                          ->check(number_in(1, kMaxWorldSize));
  command.add_option("--rank", given.rank, "This process: 0 to world size - 1 (default: $RANK)")
      ->check(number_in(0, kMaxWorldSize - 1));
  command.add_option("--rendezvous", given.rendezvous,
                     "HOST:PORT where rank 0 listens (default: $MASTER_ADDR:$MASTER_PORT)");
  command
      .add_option("--rendezvous-timeout", given.timeout_s,
                  "Seconds to wait for the other ranks, and for any exchange with them")
      ->check(number_in(1, 86400))
      ->capture_default_str();
}

namespace {

// An integer environment variable from 0 to `largest`, or `fallback` when it is not set.
int environment_int(const char* name, int fallback, long largest = long(kMaxWorldSize)) {
  const char* text = std::getenv(name);
  if (!text || !*text) return fallback;
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  if (*end != '\0' || value < 0 || value > largest) {
    throw bad_input(std::string("the environment variable ") + name + "='" + text +
                    "' is not a whole number from 0 to " + std::to_string(largest));
  }
  return int(value);
}

}  // namespace

DistributedOptions DistributedCommon::resolve() const {
  DistributedOptions options = given;
  const bool from_environment = world_size_option->count() == 0 && std::getenv("WORLD_SIZE");
  if (from_environment) {
    options.world_size = std::max(1, environment_int("WORLD_SIZE", 1));
    options.rank = environment_int("RANK", options.rank);
    options.local_rank = environment_int("LOCAL_RANK", options.rank);
    if (options.rendezvous.empty() && std::getenv("MASTER_ADDR")) {
      options.rendezvous = std::string(std::getenv("MASTER_ADDR")) + ":" +
                           std::to_string(environment_int("MASTER_PORT", 29500, 65535));
    }
  }
  if (!from_environment) options.local_rank = options.rank;
  if (options.active() && options.rendezvous.empty()) {
    throw usage_error("--world-size " + std::to_string(options.world_size) +
                      " needs --rendezvous HOST:PORT (where rank 0 listens) or MASTER_ADDR");
  }
  check_distributed_options(options);
  return options;
}

void TrainCommon::check_outputs(const std::vector<NamedPath>& inputs) const {
  check_output_file("--out", out, inputs);
  if (!preview_dir.empty()) check_output_folder("--previews", preview_dir, inputs);
}

int report_training(const Context& context, const TrainResult& result) {
  nlohmann::json losses = nlohmann::json::object();
  for (const auto& [name, value] : result.final_losses) losses[name] = value;
  context.print_result({{"model", result.model_path},
                        {"finished", result.finished},
                        {"step", result.step},
                        {"seconds", result.seconds},
                        {"losses", losses},
                        {"warnings", result.warnings}},
                       [&] {
                         if (result.finished)
                           std::printf("trained %lld steps in %.1f s: %s\n",
                                       static_cast<long long>(result.step), result.seconds,
                                       result.model_path.c_str());
                         else
                           std::printf(
                               "stopped at step %lld after %.1f s; resumable model: %s\n"
                               "continue with --resume %s\n",
                               static_cast<long long>(result.step), result.seconds,
                               result.model_path.c_str(), result.model_path.c_str());
                         std::fflush(stdout);
                         for (const std::string& warning : result.warnings)
                           std::fprintf(stderr, "warning: %s\n", warning.c_str());
                       });
  return result.finished ? kExitOk : kExitCancelled;
}

Callbacks rank_callbacks(const Context& context, const DistributedOptions& world,
                         const std::string& title, const std::string& preview_dir) {
  if (world.rank == 0) return context.job_callbacks(title, preview_dir);
  Callbacks quiet = context.job_callbacks(title);
  quiet.on_progress = nullptr;
  if (!context.json) {
    std::fprintf(stderr, "rank %d of %d: working with rank 0 at %s, which reports progress\n",
                 world.rank, world.world_size, world.rendezvous.c_str());
  }
  return quiet;
}

int train_as_rank(const Context& context, const DistributedOptions& world,
                  const std::string& method, const std::string& preview_dir,
                  const std::function<TrainResult(const Callbacks&)>& train) {
  const TrainResult result = train(rank_callbacks(context, world, method, preview_dir));
  if (world.rank == 0) return report_training(context, result);
  if (!context.json) {
    std::fprintf(stderr, "rank %d of %d: %s at step %lld\n", world.rank, world.world_size,
                 result.finished ? "done" : "stopped", static_cast<long long>(result.step));
  }
  return int(result.finished ? kExitOk : kExitCancelled);
}

}  // namespace atelier::cli
