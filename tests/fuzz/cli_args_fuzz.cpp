// Fuzz target: atelier-cli's argument parsing with its real command tree, and the options of
// every `run` operation. Input: arguments separated by NUL bytes. Nothing is run: a parse that
// succeeds stops before the command's work.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "atelier/error.h"
#include "cli_app.h"
#include "command_path.h"
#include "methods/method_registry.h"

namespace {

constexpr std::size_t kMaxArgs = 32;

std::vector<std::string> arguments_of(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> args{"atelier-cli"};
  std::string current;
  for (std::size_t i = 0; i < size && args.size() < kMaxArgs; ++i) {
    if (data[i] == 0) {
      args.push_back(current);
      current.clear();
    } else {
      current += static_cast<char>(data[i]);
    }
  }
  if (!current.empty() && args.size() < kMaxArgs) args.push_back(current);
  return args;
}

// `run MODEL OPERATION ...` parses the operation's options once the model's method is known:
// here every method that offers the operation parses them.
void parse_operation(atelier::cli::Context& context, const std::string& operation,
                     const std::vector<std::string>& rest) {
  for (const atelier::cli::MethodCli& method : atelier::cli::method_clis()) {
    if (!method.add_run) continue;
    const bool offered = std::any_of(method.operations.begin(), method.operations.end(),
                                     [&](const auto& op) { return op.first == operation; });
    if (!offered) continue;
    CLI::App sub{"run"};
    context.add_compute_options(sub);
    context.add_json_flag(sub);
    // The action owns the variables the options write into: it lives through the parse.
    const auto run = method.add_run(operation, sub, context, "model.atl");
    std::vector<std::string> reversed(rest.rbegin(), rest.rend());
    try {
      sub.parse(reversed);
    } catch (const CLI::ParseError&) {
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace atelier::cli;
  const std::vector<std::string> args = arguments_of(data, size);
  std::vector<const char*> argv;
  for (const std::string& arg : args) argv.push_back(arg.c_str());

  Context context;
  Action action;
  bool verbose = false;
  const auto app = make_cli_app(context, action, verbose);
  try {
    check_command_words(*app, static_cast<int>(argv.size()), argv.data());
    app->parse(static_cast<int>(argv.size()), argv.data());
  } catch (const atelier::Error&) {
    return 0;
  } catch (const CLI::ParseError&) {
    return 0;
  }
  if (args.size() >= 4 && args[1] == "run")
    parse_operation(context, args[3], std::vector<std::string>(args.begin() + 4, args.end()));
  return 0;
}
