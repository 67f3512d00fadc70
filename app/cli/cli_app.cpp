#include "cli_app.h"

#include "atelier/version.h"
#include "methods/method_registry.h"

namespace atelier::cli {

std::unique_ptr<CLI::App> make_cli_app(Context& context, Action& action, bool& verbose) {
  auto app = std::make_unique<CLI::App>(
      "atelier-cli " ATELIER_VERSION
      " — disentangled and few-shot visual generation, headless.\n"
      "Exit codes: 0 done, 1 usage, 2 bad input, 3 cancelled, 4 internal failure.");
  app->set_version_flag("--version", ATELIER_VERSION);
  app->require_subcommand(1);
  app->add_flag("-v,--verbose", verbose, "Log more");

  add_info_command(*app, context, action);
  add_presets_command(*app, context, action);
  add_inspect_command(*app, context, action);
  add_make_dataset_command(*app, context, action);
  add_train_command(*app, context, action);
  add_run_command(*app, context, action);
  add_eval_command(*app, context, action);
  add_bench_command(*app, context, action);
  add_video_variations_command(*app, context, action);
  for (const MethodCli& method : method_clis())
    if (method.add_commands) method.add_commands(*app, context, action);
  return app;
}

}  // namespace atelier::cli
