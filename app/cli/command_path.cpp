#include "command_path.h"

#include <string>
#include <vector>

#include "atelier/error.h"

namespace atelier::cli {
namespace {

std::string commands_of(CLI::App& app) {
  std::string names;
  for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    names += (names.empty() ? "" : ", ") + sub->get_name();
  return names;
}

std::string path_of(const std::vector<std::string>& words) {
  std::string path = "atelier-cli";
  for (const std::string& word : words) path += " " + word;
  return path;
}

}  // namespace

void check_command_words(CLI::App& app, int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "-h" || arg == "--help" || arg == "--version") return;
  }
  CLI::App* current = &app;
  std::vector<std::string> walked;
  // Only commands that must be followed by a command are walked: their only options are flags
  // (--verbose at the top), so every word that is not an option is the next command.
  for (int i = 1; i < argc && current->get_require_subcommand_min() > 0; ++i) {
    const std::string arg = argv[i];
    if (!arg.empty() && arg[0] == '-') continue;
    CLI::App* next = nullptr;
    try {
      next = current->get_subcommand(arg);
    } catch (const CLI::OptionNotFound&) {
      throw usage_error("unknown command '" + arg + "' (" + path_of(walked) +
                        " offers: " + commands_of(*current) + ")");
    }
    walked.push_back(arg);
    current = next;
  }
  if (current->get_require_subcommand_min() > 0) {
    throw usage_error(path_of(walked) + " needs a command: one of " + commands_of(*current));
  }
}

}  // namespace atelier::cli
