// `video-variations VIDEO --method ID`: new variations of a short video in one command, by any
// method that offers them (patchnn: instant, videogen: learns a model first). The options every
// method takes live here; each method adds its own in a help group named after it.
#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>

#include "atelier/error.h"
#include "atelier/file_checks.h"
#include "commands.h"
#include "input_list.h"
#include "methods/method_registry.h"
#include "option_checks.h"

namespace atelier::cli {

namespace fs = std::filesystem;

std::string variations_folder(const VariationsRequest& request, bool may_exist) {
  const std::string out =
      request.out.empty() ? fs::path(request.video).stem().string() + "_variations" : request.out;
  check_output_folder("--out", out, {{"VIDEO", request.video}});
  if (fs::exists(out) && !fs::is_empty(out) && !request.force && !may_exist) {
    throw usage_error(out +
                      " is not empty; choose another --out or pass --force to replace "
                      "the files Atelier writes there");
  }
  return out;
}

void add_video_variations_command(CLI::App& app, Context& context, Action& action) {
  std::vector<std::string> methods;
  for (const auto& method : method_clis())
    if (method.add_video_variations) methods.push_back(method.id);
  if (methods.empty()) return;
  CLI::App* command = app.add_subcommand(
      "video-variations",
      "One command: new variations of a short video (MP4, GIF, contact sheet). --method patchnn "
      "makes them at once from the clip's patches; videogen learns a model of the clip first");
  auto request = std::make_shared<VariationsRequest>();
  VariationsRequest& r = *request;
  // Scripts written before the instant mode get what they got then.
  r.method = std::find(methods.begin(), methods.end(), "videogen") != methods.end()
                 ? "videogen"
                 : methods.front();
  command->add_option("video", r.video, "The video")->required()->check(CLI::ExistingFile);
  command->add_option("--method", r.method, "patchnn (instant) or videogen (learned)")
      ->check(CLI::IsMember(methods))
      ->capture_default_str();
  command->add_option("--n", r.n, "Variations to make")
      ->check(number_in(1, kMaxImages))
      ->capture_default_str();
  command->add_option("--preset", r.preset, "The method's preset: tiny, preview, ... or a .json")
      ->capture_default_str();
  command->add_option("--out", r.out, "Output folder (default: <video name>_variations)");
  command->add_option("--start", r.start, "First frame of the clip")
      ->check(number_in(0, 1e9))
      ->capture_default_str();
  command->add_option("--frames", r.frames, "Frames of the clip (default: the preset's)")
      ->check(number_in(2, kMaxFrames));
  command->add_option("--fps", r.fps, "Subsample the video to at most this frame rate")
      ->check(number_in(0.1, 1000));
  command
      ->add_option("--sample-frames", r.sample_frames,
                   "Frames per variation (default: the clip's; more makes longer videos)")
      ->check(number_in(2, kMaxFrames));
  command->add_option("--size", r.size,
                      "WxH of the variations (W alone keeps the clip's aspect; default: the "
                      "clip's; patchnn only)");
  command->add_option("--seed", r.seed, "Random seed")->check(seed_value())->capture_default_str();
  command->add_option("--set", r.overrides, "Override a preset parameter: KEY=VALUE");
  command->add_flag("--force", r.force, "Write into a non-empty output folder");
  context.add_json_flag(*command);
  context.add_compute_options(*command);

  auto runs = std::make_shared<std::map<std::string, Action>>();
  for (const auto& method : method_clis()) {
    if (method.add_video_variations)
      (*runs)[method.id] = method.add_video_variations(*command, context, r);
  }
  const Action run = [command, request, runs] {
    // An option of another method's group is a mistake worth naming.
    for (const CLI::Option* option : command->get_options()) {
      const std::string& group = option->get_group();
      if (option->count() > 0 && runs->count(group) && group != request->method) {
        throw usage_error(option->get_name() + " is an option of --method " + group + ", not of " +
                          request->method);
      }
    }
    return runs->at(request->method)();
  };
  // Many clips, spread over a job array: --inputs LIST [--shard I/N], a folder per clip. Both
  // methods write the contact sheet last (after the variations and input.mp4).
  ListOutput folders;
  folders.last_file = [](const CLI::App&) { return std::string("contact_sheet.png"); };
  command->callback([&action, run = with_input_list(*command, {"video"}, context, run, folders)] {
    action = run;
  });
}

}  // namespace atelier::cli
