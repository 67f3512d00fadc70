// bench scale: the step rate of a data-parallel training with 1, 2, ... local processes. It runs
// the real thing: `train oneshot` (phase I on a generated MNIST-M style folder), `train
// disentangle|masktransfer` (on a generated composite set) or the first classifier of `eval
// padain` (on Fashion-MNIST) as that many processes of this program on loopback, reads rank 0's
// progress events and compares the rates.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "atelier/child_process.h"
#include "atelier/dataset.h"
#include "atelier/error.h"
#include "atelier/job.h"
#include "atelier/preset.h"
#include "atelier/remove_tree.h"
#include "commands.h"
#include "option_checks.h"

namespace atelier::cli {
namespace {

namespace fs = std::filesystem;

struct ScaleOptions {
  std::string method = "oneshot";
  std::string world_sizes = "1,2";
  std::string preset = "preview";
  int steps = 400;
  int threads = 1;  // per process
};

struct ScaleRow {
  int world_size = 0;
  double steps_per_s = 0;
};

// What a method's benchmark trains on, and how: its command and options, and the progress phase
// (and scale, when the phase comes more than once) whose steps are timed.
struct Workload {
  std::vector<std::string> command;     // `train METHOD` or `eval padain`
  std::vector<std::string> train_args;  // before the common options
  std::string phase;
  int scale = -1;            // -1: any
  bool writes_model = true;  // takes --out and --checkpoint-every
};

Workload make_workload(const ScaleOptions& o, const fs::path& dir) {
  const std::string set = (dir / "set").string();
  const std::string steps = std::to_string(o.steps);
  if (o.method == "padain") {
    // One epoch of `steps` batches (the preset's batch) per classifier; the baseline (scale 1)
    // is timed, and the measuring after it is cut to one test picture.
    const int batch = load_preset("padain", o.preset).params.value("batch", 64);
    return {
        {"eval", "padain"},
        {"--dataset", "fashion", "--seeds", "1", "--set", "epochs=1", "--set",
         "train_images=" + std::to_string(std::int64_t(o.steps) * batch), "--set", "test_images=1"},
        "train",
        1,
        false};
  }
  if (o.method == "oneshot") {
    MnistmOptions mnistm;
    mnistm.out = set;
    make_mnistm_dataset(mnistm);
    return {{"train", "oneshot"},
            {"--b", set + "/train", "--set", "base_steps=" + steps},
            "autoencoder B"};
  }
  CompositeOptions composite;
  composite.out = set;
  make_composite_dataset(composite);
  return {{"train", o.method},
          {"--a", set + "/train/A", "--b", set + "/train/B", "--set", "steps=" + steps, "--set",
           "self_check_steps=0"},
          "train"};
}

// Steps per second of rank 0 in `phase` between the progress event past a fifth of the steps
// (start-up and the first steps left out) and the last one.
double step_rate(const std::string& json_lines, const Workload& work, int steps) {
  double t0 = -1, s0 = 0, t1 = -1, s1 = 0;
  std::istringstream in(json_lines);
  for (std::string line; std::getline(in, line);) {
    const nlohmann::json event = nlohmann::json::parse(line, nullptr, false);
    if (event.is_discarded() || event.value("event", "") != "progress" ||
        event.value("phase", "") != work.phase ||
        (work.scale >= 0 && event.value("scale", -1) != work.scale))
      continue;
    const double t = event.value("elapsed_s", 0.0), s = event.value("step", 0.0);
    if (t0 < 0 && s >= steps / 5) t0 = t, s0 = s;
    t1 = t, s1 = s;
  }
  if (t0 < 0 || t1 <= t0)
    throw bad_input(
        "bench scale: the training was too short to time (progress comes every half second): give "
        "more --steps");
  return (s1 - s0) / (t1 - t0);
}

double run_world(int world, const ScaleOptions& o, const Workload& work, const std::string& dir) {
  const int port = free_local_port();
  std::vector<std::unique_ptr<ChildProcess>> ranks;
  for (int rank = 0; rank < world; ++rank) {
    std::vector<std::string> args = {"atelier-cli"};
    args.insert(args.end(), work.command.begin(), work.command.end());
    args.insert(args.end(), work.train_args.begin(), work.train_args.end());
    for (const std::string& arg :
         {std::string("--preset"), o.preset, std::string("--threads"), std::to_string(o.threads),
          std::string("--json"), std::string("--world-size"), std::to_string(world),
          std::string("--rank"), std::to_string(rank), std::string("--rendezvous"),
          "127.0.0.1:" + std::to_string(port)})
      args.push_back(arg);
    if (work.writes_model) {
      for (const std::string& arg :
           {std::string("--checkpoint-every"), std::string("0"), std::string("--out"),
            dir + "/w" + std::to_string(world) + ".atl"})
        args.push_back(arg);
    }
    ranks.push_back(std::make_unique<ChildProcess>(
        "/proc/self/exe", args, dir + "/rank" + std::to_string(rank) + ".jsonl", "/dev/null"));
  }
  bool all_done = true;
  for (auto& rank : ranks) all_done = rank->wait() == kExitOk && all_done;
  if (!all_done) {
    throw io_error("bench scale: a training of " + std::to_string(world) +
                   " processes failed (try `" + work.command[0] + " " + o.method +
                   "` with the same options)");
  }
  std::ifstream rank0(dir + "/rank0.jsonl");
  return step_rate(std::string(std::istreambuf_iterator<char>(rank0), {}), work, o.steps);
}

std::vector<int> parse_world_sizes(const std::string& text) {
  std::vector<int> sizes;
  std::stringstream stream(text);
  for (std::string item; std::getline(stream, item, ',');) {
    char* end = nullptr;
    const long n = std::strtol(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || n < 1 || n > 64) {
      throw bad_input("--world-size '" + text + "': expected counts of 1 to 64, as 1,2");
    }
    sizes.push_back(int(n));
  }
  if (sizes.empty()) throw bad_input("--world-size: no process count given");
  return sizes;
}

}  // namespace

void add_bench_scale_command(CLI::App& bench, Context& context, Action& action) {
  auto* scale = bench.add_subcommand(
      "scale",
      "Data-parallel step rate of a training (oneshot phase I, disentangle, masktransfer or the "
      "padain report's classifier) with "
      "1, 2, ... local processes on loopback, its scaling efficiency, and what it projects for "
      "more");
  static ScaleOptions options;
  scale->add_option("--method", options.method, "The method whose training is timed")
      ->check(CLI::IsMember({"oneshot", "disentangle", "masktransfer", "padain"}))
      ->capture_default_str();
  scale->add_option("--world-size", options.world_sizes, "Process counts to time, as 1,2")
      ->capture_default_str();
  scale->add_option("--preset", options.preset, "The method's preset")->capture_default_str();
  scale->add_option("--steps", options.steps, "Training steps per process count")
      ->check(number_in(50, 1e6))
      ->capture_default_str();
  scale->add_option("--threads", options.threads, "CPU threads of each process")
      ->check(number_in(1, kMaxThreads))
      ->capture_default_str();
  context.add_json_flag(*scale);
  action_for(scale, action, [&context] {
    const std::vector<int> worlds = parse_world_sizes(options.world_sizes);
    const fs::path dir =
        fs::temp_directory_path() / ("atelier-bench-scale-" + std::to_string(getpid()));
    fs::create_directories(dir);
    struct Cleanup {
      fs::path dir;
      ~Cleanup() { remove_tree(dir.string()); }
    } cleanup{dir};
    const Workload work = make_workload(options, dir);
    std::vector<ScaleRow> rows;
    for (int world : worlds) rows.push_back({world, run_world(world, options, work, dir.string())});
    // A step of N processes takes T1 / N plus a fixed cost C that does not shrink with more
    // processes (the exchange, waiting for the slowest rank, work that does not halve with the
    // batch): C from the first count above 1 projects more processes, a core for each. The first
    // count is the baseline (taken as scaling perfectly when it is above 1).
    const double t1 = rows.front().world_size / rows.front().steps_per_s;
    double fixed_s = 0;
    for (const ScaleRow& row : rows) {
      if (row.world_size > 1) {
        fixed_s = std::max(0.0, 1 / row.steps_per_s - t1 / row.world_size);
        break;
      }
    }
    nlohmann::json measured = nlohmann::json::array(), projected = nlohmann::json::object();
    for (const ScaleRow& row : rows) {
      const double speedup = row.steps_per_s * t1;
      measured.push_back({{"world_size", row.world_size},
                          {"steps_per_s", row.steps_per_s},
                          {"speedup", speedup},
                          {"efficiency", speedup / row.world_size}});
    }
    for (int n : {4, 8, 16, 64}) projected[std::to_string(n)] = t1 / (t1 / n + fixed_s);
    context.print_result(
        {{"method", options.method},
         {"preset", options.preset},
         {"threads_per_process", options.threads},
         {"steps", options.steps},
         {"measured", measured},
         {"fixed_ms", 1000 * fixed_s},
         {"projected_speedup", projected}},
        [&] {
          std::printf("%s %s%s, preset %s, %d thread(s) per process, %d steps\n",
                      options.method == "padain" ? "eval" : "train", options.method.c_str(),
                      options.method == "oneshot"  ? " phase I"
                      : options.method == "padain" ? " (the first classifier)"
                                                   : "",
                      options.preset.c_str(), options.threads, options.steps);
          std::printf("%-10s %9s %9s %11s\n", "processes", "steps/s", "speed-up", "efficiency");
          for (const auto& m : measured) {
            std::printf("%-10d %9.1f %8.2fx %10.0f %%\n", m["world_size"].get<int>(),
                        m["steps_per_s"].get<double>(), m["speedup"].get<double>(),
                        100 * m["efficiency"].get<double>());
          }
          if (worlds.size() > 1) {
            std::printf(
                "%.1f ms of a step do not shrink with more processes; projected with a core per "
                "process: 4 processes %.1fx, 8 %.1fx, 16 %.1fx, 64 %.1fx\n",
                1000 * fixed_s, projected["4"].get<double>(), projected["8"].get<double>(),
                projected["16"].get<double>(), projected["64"].get<double>());
          }
        });
    return kExitOk;
  });
}

}  // namespace atelier::cli
