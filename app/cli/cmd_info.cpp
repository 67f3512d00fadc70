#include <cstdio>

#include "atelier/compute.h"
#include "commands.h"

namespace atelier::cli {

void add_info_command(CLI::App& app, Context& context, Action& action) {
  auto* command = app.add_subcommand("info", "Versions, device, threads, BLAS, oneDNN, CPU features");
  context.add_json_flag(*command);
  context.add_compute_options(*command);
  action_for(command, action, [&context] {
    const std::string device = apply_compute_options(context.compute);
    const SystemInfo info = system_info();
    context.print_result(
        {{"atelier", info.atelier_version},
         {"torch", info.torch_version},
         {"opencv", info.opencv_version},
         {"device", device},
         {"cuda_available", info.cuda_available},
         {"cuda_devices", info.cuda_devices},
         {"threads", info.threads},
         {"automatic_threads", info.automatic_threads},
         {"logical_cores", info.logical_cores},
         {"usable_cores", info.usable_cores},
         {"others_load", info.others_load},
         {"blas", info.blas},
         {"onednn", info.mkldnn},
         {"cpu_capability", info.cpu_capability}},
        [&] {
          std::printf("atelier        %s\n", info.atelier_version.c_str());
          std::printf("libtorch       %s\n", info.torch_version.c_str());
          std::printf("opencv         %s\n", info.opencv_version.c_str());
          std::printf("device         %s (CUDA %s, %d devices)\n", device.c_str(),
                      info.cuda_available ? "available" : "not available", info.cuda_devices);
          std::printf("threads        %d of %d usable cores (%s)\n", info.threads,
                      info.usable_cores, info.automatic_threads ? "automatic" : "fixed");
          if (info.others_load >= 0)
            std::printf("other programs %.1f cores busy now\n", info.others_load);
          std::printf("BLAS           %s\n", info.blas.c_str());
          std::printf("oneDNN         %s\n", info.mkldnn ? "yes" : "no");
          std::printf("CPU dispatch   %s\n", info.cpu_capability.c_str());
        });
    return kExitOk;
  });
}

}  // namespace atelier::cli
