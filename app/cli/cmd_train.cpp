#include "commands.h"
#include "input_list.h"
#include "methods/method_registry.h"

namespace atelier::cli {

void add_train_command(CLI::App& app, Context& context, Action& action) {
  auto* command = app.add_subcommand("train", "Train a model on your images or video");
  command->require_subcommand(1);
  static TrainCommon common;
  for (const auto& method : method_clis()) {
    if (!method.add_train) continue;
    auto* sub = command->add_subcommand(method.id, method.summary);
    common.add_to(*sub);
    context.add_compute_options(*sub);
    context.add_json_flag(*sub);
    Action train = method.add_train(*sub, context, common);
    if (!method.train_inputs.empty())
      train = with_input_list(*sub, method.train_inputs, context, std::move(train));
    action_for(sub, action, std::move(train));
  }
}

}  // namespace atelier::cli
