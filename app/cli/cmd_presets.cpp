#include <cstdio>

#include "atelier/preset.h"
#include "commands.h"

namespace atelier::cli {

void add_presets_command(CLI::App& app, Context& context, Action& action) {
  auto* command = app.add_subcommand("presets", "List the methods' presets (models/<method>/*.json)");
  static std::string method;
  command->add_option("method", method, "Only this method");
  context.add_json_flag(*command);
  action_for(command, action, [&context] {
    const std::vector<std::string> methods =
        method.empty() ? list_methods() : std::vector<std::string>{method};
    nlohmann::json all = nlohmann::json::object();
    for (const auto& id : methods) {
      nlohmann::json sizes = nlohmann::json::array();
      for (const auto& size : list_presets(id)) {
        const Preset preset = load_preset(id, size);
        sizes.push_back({{"size", preset.size},
                         {"description", preset.description},
                         {"path", preset.path},
                         {"params", preset.params}});
      }
      all[id] = sizes;
    }
    context.print_result({{"models_dir", models_dir()}, {"presets", all}}, [&] {
      std::printf("presets in %s\n", models_dir().c_str());
      for (const auto& [id, sizes] : all.items()) {
        std::printf("%s\n", id.c_str());
        for (const auto& p : sizes)
          std::printf("  %-9s %s\n", p["size"].get<std::string>().c_str(),
                      p["description"].get<std::string>().c_str());
      }
    });
    return kExitOk;
  });
}

}  // namespace atelier::cli
