// atelier-cli — train, run, evaluate and benchmark Atelier's methods without a display.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>

#include "atelier/error.h"
#include "atelier/version.h"
#include "commands.h"
#include "methods/method_registry.h"
#include "stop_signal.h"

using namespace atelier;
using namespace atelier::cli;

namespace {

int exit_code_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Usage: return kExitUsage;
    case ErrorKind::BadInput:
    case ErrorKind::Io: return kExitBadInput;
    case ErrorKind::Cancelled: return kExitCancelled;
    case ErrorKind::Internal: return kExitInternal;
  }
  return kExitInternal;
}

const char* kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Usage: return "usage";
    case ErrorKind::BadInput: return "bad_input";
    case ErrorKind::Io: return "io";
    case ErrorKind::Cancelled: return "cancelled";
    case ErrorKind::Internal: return "internal";
  }
  return "internal";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"atelier-cli " ATELIER_VERSION
               " — disentangled and few-shot visual generation, headless.\n"
               "Exit codes: 0 done, 1 usage, 2 bad input, 3 cancelled, 4 internal failure."};
  app.set_version_flag("--version", ATELIER_VERSION);
  app.require_subcommand(1);
  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, "Log more");

  Context context;
  Action action;
  add_info_command(app, context, action);
  add_presets_command(app, context, action);
  add_inspect_command(app, context, action);
  add_make_dataset_command(app, context, action);
  add_train_command(app, context, action);
  add_run_command(app, context, action);
  add_eval_command(app, context, action);
  add_bench_command(app, context, action);
  add_video_variations_command(app, context, action);
  for (const MethodCli& method : method_clis())
    if (method.add_commands) method.add_commands(app, context, action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  // Logs go to stderr so that --json output on stdout stays machine-readable.
  spdlog::set_default_logger(spdlog::stderr_color_mt("atelier"));
  spdlog::set_level(verbose ? spdlog::level::debug : spdlog::level::info);
  install_stop_signal();

  try {
    return action ? action() : kExitUsage;
  } catch (const CLI::ParseError& e) {
    // Operation options are parsed late (`run` reads the model's method first).
    std::cerr << e.what() << "\n";
    return e.get_exit_code() == 0 ? kExitOk : kExitUsage;
  } catch (const Error& e) {
    if (context.json)
      std::cout << nlohmann::json{{"event", "error"}, {"kind", kind_name(e.kind())},
                                  {"message", e.what()}}.dump()
                << std::endl;
    std::cerr << "error: " << e.what() << "\n";
    return exit_code_for(e.kind());
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitInternal;
  }
}
