#include <cstdio>

#include "atelier/file_checks.h"
#include "atelier/json_text.h"
#include "atelier/model_file.h"
#include "commands.h"

namespace atelier::cli {

void add_inspect_command(CLI::App& app, Context& context, Action& action) {
  auto* command = app.add_subcommand("inspect", "Describe a model file (.atl) after validating it");
  static std::string path, thumbnail_out;
  command->add_option("model", path, "Model file")->required();
  command->add_option("--thumbnail", thumbnail_out, "Also write the model's thumbnail as PNG");
  context.add_json_flag(*command);
  action_for(command, action, [&context] {
    if (!thumbnail_out.empty()) check_output_file("--thumbnail", thumbnail_out, {{"MODEL", path}});
    const ModelInfo info = inspect_model(path);
    if (!thumbnail_out.empty() && !info.thumbnail.empty())
      save_image(info.thumbnail, thumbnail_out);
    context.print_result(to_json(info), [&] {
      std::printf("%s\n", info.path.c_str());
      std::printf("  method     %s (preset %s)\n", info.method.c_str(), info.preset.c_str());
      std::printf("  format     version %u, %llu bytes, written by atelier %s\n",
                  info.format_version, static_cast<unsigned long long>(info.file_size),
                  info.atelier_version.c_str());
      std::printf("  created    %s\n", info.created.c_str());
      std::printf("  training   step %lld, seed %llu, %s\n", static_cast<long long>(info.step),
                  static_cast<unsigned long long>(info.seed),
                  info.finished ? "finished" : "stopped early (resumable)");
      std::printf("  tensors    %zu\n", info.tensors.size());
      std::printf("  thumbnail  %dx%d\n", info.thumbnail.width, info.thumbnail.height);
      std::printf("  params     %s\n", json_text(info.params).c_str());
      // disentangle and masktransfer: how the finished model judged its own transfers
      if (info.state.contains("self_check"))
        std::printf("  self-check %s\n", json_text(info.state["self_check"]).c_str());
    });
    return kExitOk;
  });
}

}  // namespace atelier::cli
