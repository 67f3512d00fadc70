#include "commands.h"
#include "methods/method_registry.h"

namespace atelier::cli {

void add_eval_command(CLI::App& app, Context& context, Action& action) {
  auto* command = app.add_subcommand("eval", "Measure a trained model (metrics as JSON or text)");
  command->require_subcommand(1);
  for (const auto& method : method_clis()) {
    if (!method.add_eval) continue;
    auto* sub = command->add_subcommand(method.id, method.eval_summary.empty()
                                                       ? "Evaluate a model of " + method.id
                                                       : method.eval_summary);
    context.add_compute_options(*sub);
    context.add_json_flag(*sub);
    action_for(sub, action, method.add_eval(*sub, context));
  }
}

}  // namespace atelier::cli
