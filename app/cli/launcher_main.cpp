// atelier-cli: answers --help, --version and command lines that do not parse at once, from the
// command tree exported at build time (grammar.h), and runs every other command line in the
// engine binary (atelier-cli-engine), which loads LibTorch. Loading it costs 0.7 s, almost all in
// its static initialisers, which a question about usage should not wait for.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <system_error>

#include "atelier/error.h"
#include "cli_grammar.inc"
#include "command_path.h"
#include "exit_codes.h"
#include "grammar.h"

namespace fs = std::filesystem;
using namespace atelier;
using namespace atelier::cli;

namespace {

// Beside the launcher in a build tree; <prefix>/libexec/atelier once installed.
fs::path engine_binary() {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (error) return {};
  for (const fs::path& candidate :
       {self.parent_path() / "atelier-cli-engine",
        self.parent_path().parent_path() / "libexec" / "atelier" / "atelier-cli-engine"}) {
    if (fs::is_regular_file(candidate, error)) return candidate;
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  const std::unique_ptr<CLI::App> app = app_from_grammar(nlohmann::json::parse(kGrammar));
  try {
    check_command_words(*app, argc, argv);
  } catch (const Error& e) {
    std::cerr << "error: " << e.what() << "\nRun with --help for more information.\n";
    return kExitUsage;
  }
  try {
    app->parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app->exit(e);
    return code == 0 ? kExitOk : exit_code_for_parse_error(e);
  }

  const fs::path engine = engine_binary();
  if (engine.empty()) {
    std::cerr << "error: atelier-cli-engine was not found beside atelier-cli nor in "
                 "../libexec/atelier: the installation is incomplete\n";
    return kExitInternal;
  }
  execv(engine.c_str(), argv);  // same arguments, same argv[0]: the same messages as one program
  std::cerr << "error: cannot start " << engine.string() << ": " << std::strerror(errno) << "\n";
  return kExitInternal;
}
