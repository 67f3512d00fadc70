#include <cstdio>
#include <string>
#include <vector>

#include "atelier/bench.h"
#include "commands.h"
#include "methods/method_cli_support.h"
#include "methods/method_registry.h"
#include "option_checks.h"

namespace atelier::cli {

void add_bench_command(CLI::App& app, Context& context, Action& action) {
  auto* command = app.add_subcommand("bench", "Measure speed: core ceilings or a method's steps");
  command->require_subcommand(1);

  auto* core = command->add_subcommand(
      "core", "Matrix product and 3x3 convolution GFLOP/s at the configured thread count");
  static CoreBenchOptions options;
  core->add_option("--matmul-size", options.matmul_size)
      ->check(number_in(1, 16384))
      ->capture_default_str();
  core->add_option("--conv-channels", options.conv_channels)
      ->check(number_in(1, 1024))
      ->capture_default_str();
  core->add_option("--conv-size", options.conv_size)
      ->check(number_in(1, 2048))
      ->capture_default_str();
  // A long count is a way to keep the machine busy; each repeat keeps one time (8 bytes).
  core->add_option("--repeats", options.repeats)->check(number_in(1, 1e7))->capture_default_str();
  context.add_compute_options(*core);
  context.add_json_flag(*core);
  action_for(core, action, [&context] {
    options.compute = context.compute;
    const CoreBenchResult r = bench_core(options);
    context.print_result(
        {{"device", r.device},
         {"threads", r.threads},
         {"matmul_size", options.matmul_size},
         {"matmul_gflops", r.matmul_gflops},
         {"conv_shape", {1, options.conv_channels, options.conv_size, options.conv_size}},
         {"conv_forward_ms", r.conv_forward_ms},
         {"conv_forward_gflops", r.conv_forward_gflops},
         {"conv_train_ms", r.conv_train_ms},
         {"conv_train_gflops", r.conv_train_gflops}},
        [&] {
          std::printf("device %s, %d threads (medians of %d runs)\n", r.device.c_str(), r.threads,
                      options.repeats);
          std::printf("matmul %d^3 float32           %7.1f GFLOP/s\n", options.matmul_size,
                      r.matmul_gflops);
          std::printf("conv3x3 %d->%d on %dx%d forward   %7.1f GFLOP/s (%.1f ms)\n",
                      options.conv_channels, options.conv_channels, options.conv_size,
                      options.conv_size, r.conv_forward_gflops, r.conv_forward_ms);
          std::printf("conv3x3 forward+backward       %7.1f GFLOP/s (%.1f ms)\n",
                      r.conv_train_gflops, r.conv_train_ms);
        });
    return kExitOk;
  });

  auto* load = command->add_subcommand(
      "load",
      "A training step at 1 thread, every core and automatic threads, on a quiet machine and "
      "beside a busy program that the benchmark starts and stops");
  static std::string load_method = "singan";
  static MultiScaleBenchOptions load_options;
  load_options.steps = 3;
  std::vector<std::string> multiscale;
  for (const auto& method : method_clis())
    if (method.bench_multiscale) multiscale.push_back(method.id);
  load->add_option("--method", load_method, "Whose finest scale is timed")
      ->check(CLI::IsMember(multiscale))
      ->capture_default_str();
  load->add_option("--preset", load_options.preset, "Preset whose training is timed")
      ->capture_default_str();
  load->add_option("--steps", load_options.steps, "Least timed steps per setting")
      ->check(number_in(1, 100000));
  context.add_compute_options(*load);
  context.add_json_flag(*load);
  action_for(load, action, [&context] {
    MultiScaleBenchOptions options = load_options;
    options.compute = context.compute;
    options.load = true;
    options.ceiling = false;
    const MultiScaleBenchResult r = find_method_cli(load_method)->bench_multiscale(options);
    context.print_result(to_json(r), [&] { print_bench(r); });
    return kExitOk;
  });

#ifdef ATELIER_WITH_ONESHOT
  add_bench_scale_command(*command, context, action);
#endif
  for (const auto& method : method_clis()) {
    if (!method.add_bench) continue;
    auto* sub = command->add_subcommand(method.id, "Benchmark " + method.id);
    context.add_compute_options(*sub);
    context.add_json_flag(*sub);
    action_for(sub, action, method.add_bench(*sub, context));
  }
}

}  // namespace atelier::cli
