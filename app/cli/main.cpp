// atelier-cli — train, run, evaluate and benchmark Atelier's methods without a display.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

#include "atelier/error.h"
#include "atelier/exit_code.h"
#include "atelier/log.h"
#include "cli_app.h"
#include "command_path.h"
#include "stop_signal.h"

using namespace atelier;
using namespace atelier::cli;

namespace {

const char* kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Usage:
      return "usage";
    case ErrorKind::BadInput:
      return "bad_input";
    case ErrorKind::Io:
      return "io";
    case ErrorKind::Cancelled:
      return "cancelled";
    case ErrorKind::Internal:
      return "internal";
  }
  return "internal";
}

}  // namespace

int main(int argc, char** argv) {
  Context context;
  context.arguments.assign(argv, argv + argc);
  Action action;
  bool verbose = false;
  const std::unique_ptr<CLI::App> cli = make_cli_app(context, action, verbose);
  CLI::App& app = *cli;

  try {
    check_command_words(app, argc, argv);
  } catch (const Error& e) {
    std::cerr << "error: " << e.what() << "\nRun with --help for more information.\n";
    return kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : exit_code_for_parse_error(e);
  }
  // Logs go to stderr so that --json output on stdout stays machine-readable.
  log_to_stderr(verbose);
  install_stop_signal();

  try {
    return action ? action() : kExitUsage;
  } catch (const CLI::ParseError& e) {
    // Operation options are parsed late (`run` reads the model's method first); their errors
    // read like every other one.
    std::cerr << "error: " << e.what() << "\n";
    return e.get_exit_code() == 0 ? kExitOk : exit_code_for_parse_error(e);
  } catch (const Error& e) {
    if (context.json)
      std::cout << json_text(
                       {{"event", "error"}, {"kind", kind_name(e.kind())}, {"message", e.what()}})
                << std::endl;
    std::cerr << "error: " << e.what() << "\n";
    return exit_code_for(e.kind());
  } catch (const std::filesystem::filesystem_error& e) {
    // A file system refusal that no check foresaw (a folder removed meanwhile): the user's to fix.
    std::cerr << "error: " << e.path1().string() << ": " << e.code().message() << "\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitInternal;
  }
}
