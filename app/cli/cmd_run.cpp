#include <algorithm>

#include "atelier/error.h"
#include "atelier/model_file.h"
#include "commands.h"
#include "methods/method_registry.h"

namespace atelier::cli {
namespace {

// `run MODEL OPERATION args...`: which operations exist depends on the model's method, so the
// operation's own options are parsed once the model file has been read.
int run_operation(Context& context, const std::string& model, const std::string& operation,
                  std::vector<std::string> args) {
  const ModelInfo info = inspect_model(model);
  const MethodCli* method = find_method_cli(info.method);
  if (!method || !method->add_run)
    throw usage_error(model + ": method '" + info.method + "' has no operations in this build");
  const bool known = std::any_of(method->operations.begin(), method->operations.end(),
                                 [&](const auto& op) { return op.first == operation; });
  if (!known) {
    std::string list;
    for (const auto& [name, what] : method->operations) list += "\n  " + name + "  " + what;
    throw usage_error("'" + operation + "' is not an operation of " + info.method + " models;" +
                      " they offer:" + list);
  }
  CLI::App sub{"atelier-cli run MODEL " + operation, "atelier-cli run MODEL " + operation};
  context.add_compute_options(sub);
  context.add_json_flag(sub);
  Action run = method->add_run(operation, sub, context, model);
  std::reverse(args.begin(), args.end());  // CLI11 takes a reversed vector
  sub.parse(args);
  return run();
}

}  // namespace

void add_run_command(CLI::App& app, Context& context, Action& action) {
  auto* command = app.add_subcommand(
      "run", "Run an operation of a trained model: atelier-cli run MODEL.atl OPERATION [options]");
  static std::string model, operation;
  command->add_option("model", model, "Model file (.atl)")->required();
  command->add_option("operation", operation, "Operation (see the model's method)")->required();
  command->allow_extras();
  command->prefix_command();  // everything after OPERATION belongs to the operation
  action_for(command, action, [&context, command] {
    return run_operation(context, model, operation, command->remaining());
  });
}

}  // namespace atelier::cli
