// atelier-cli's patchnn commands (the instant mode): `patch sample|retarget|analogy|paint`,
// `video-variations --method patchnn`; eval and bench live in patchnn_eval_cli.cpp.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <tuple>

#include "atelier/error.h"
#include "atelier/patchnn.h"
#include "input_list.h"
#include "methods/method_cli_support.h"
#include "methods/method_registry.h"
#include "methods/patchnn_cli_support.h"

namespace atelier::cli {
namespace {

namespace fs = std::filesystem;

nlohmann::json notes_json(const PatchnnReport& report) {
  return report.notes;
}

// --out of a command that writes a folder: Error(Usage) when it names a file.
void check_folder(const std::string& out) {
  if (fs::exists(out) && !fs::is_directory(out))
    throw usage_error(out + " exists and is not a folder");
}

// --out of a command that writes one picture.
void check_picture_path(const std::string& out) {
  if (!is_image_file_name(out))
    throw usage_error(out + ": the output must be a .png, .jpg or .bmp file");
  if (fs::is_directory(out)) throw usage_error(out + " is a folder, not a picture file");
}

void print_report(const PatchnnReport& report) {
  for (const std::string& note : report.notes) std::printf("note: %s\n", note.c_str());
  std::printf("%zu levels in %.2f s\n", report.levels.size(), report.seconds);
}

// Writes the one picture of `operation` and reports it.
int finish_picture(Context& context, const std::string& operation, const PatchnnImageResult& r,
                   const std::string& out) {
  save_image(r.image, out);
  context.print_result({{"operation", operation},
                        {"files", {out}},
                        {"size", {r.image.width, r.image.height}},
                        {"seconds", r.report.seconds},
                        {"notes", notes_json(r.report)}},
                       [&] {
                         print_report(r.report);
                         std::printf("wrote %s\n", out.c_str());
                       });
  return kExitOk;
}

// Adds `patch <name>` with the options every patch command takes (--out, --preset, --set,
// --seed, --json, --device, --threads); `run` becomes the action when it is chosen.
CLI::App* add_patch_command(CLI::App& patch, const std::string& name, const std::string& help,
                            PatchCommon& common, const std::string& out_help, Context& context,
                            std::function<int()>& action, std::function<int()> run) {
  CLI::App* command = patch.add_subcommand(name, help);
  common.add_to(*command, out_help);
  context.add_json_flag(*command);
  context.add_compute_options(*command);
  command->callback([&action, run = std::move(run)] { action = run; });
  return command;
}

// ---- patch sample ----

struct SampleInputs {
  PatchCommon common;
  std::string image;
  int n = 1;
  std::string size;
  double noise = -1;
};

int run_sample(const SampleInputs& in, Context& context) {
  if (in.n < 1) throw usage_error("patch sample: --n must be at least 1");
  check_folder(in.common.out);
  const PatchnnParams params = in.common.params();
  PatchnnSampleOptions options;
  options.seed = in.common.seed;
  options.noise_std = in.noise;
  options.source_name = in.image;
  if (!in.size.empty()) std::tie(options.width, options.height) = parse_output_size(in.size);
  const PatchnnSamples samples = patchnn_samples(load_image(in.image), in.n, params, options,
                                                 context.compute, context.job_callbacks("patchnn"));
  fs::create_directories(in.common.out);
  nlohmann::json files = nlohmann::json::array();
  for (int i = 0; i < in.n; ++i) {
    const std::string path =
        (fs::path(in.common.out) / ("sample_" + std::to_string(i + 1) + ".png")).string();
    save_image(samples.images[i], path);
    files.push_back(path);
  }
  context.print_result({{"operation", "sample"},
                        {"files", files},
                        {"size", {samples.images[0].width, samples.images[0].height}},
                        {"seconds", samples.report.seconds},
                        {"notes", notes_json(samples.report)}},
                       [&] {
                         print_report(samples.report);
                         for (const auto& f : files)
                           std::printf("wrote %s\n", f.get<std::string>().c_str());
                       });
  return kExitOk;
}

void add_sample(CLI::App& patch, Context& context, std::function<int()>& action) {
  auto in = std::make_shared<SampleInputs>();
  CLI::App* command =
      add_patch_command(patch, "sample", "New pictures made of a picture's patches", in->common,
                        "Folder for sample_1.png, sample_2.png, ...", context, action,
                        [in, &context] { return run_sample(*in, context); });
  command->add_option("--image", in->image, "The picture")->required()->check(CLI::ExistingFile);
  command->add_option("--n", in->n, "Samples to make")->capture_default_str();
  command->add_option("--size", in->size,
                      "WxH of the samples (W alone keeps the aspect; default: the picture's)");
  command
      ->add_option("--noise", in->noise,
                   "Noise on the coarsest level, [0, 1] pixel units (default: the preset's)")
      ->check(CLI::NonNegativeNumber);
  // Many pictures, spread over a job array: --inputs LIST [--shard I/N], a folder per picture.
  ListOutput folders;
  folders.last_file = [](const CLI::App& sample) {
    return "sample_" + std::to_string(sample.get_option("--n")->as<int>()) + ".png";
  };
  command->callback([&action, run = with_input_list(
                                  *command, {"--image"}, context,
                                  [in, &context] { return run_sample(*in, context); }, folders)] {
    action = run;
  });
}

// ---- patch retarget ----

struct RetargetInputs {
  PatchCommon common;
  std::string image;
  std::string size;
};

void add_retarget(CLI::App& patch, Context& context, std::function<int()>& action) {
  auto in = std::make_shared<RetargetInputs>();
  CLI::App* command = add_patch_command(
      patch, "retarget", "The picture at another size, its content kept whole (no noise)",
      in->common, "The result (.png or .jpg)", context, action, [in, &context] {
        check_picture_path(in->common.out);
        const auto [width, height] = parse_output_size(in->size);
        const PatchnnImageResult r =
            patchnn_retarget(load_image(in->image), width, height, in->common.params(), in->image,
                             context.compute, context.job_callbacks("patchnn"));
        return finish_picture(context, "retarget", r, in->common.out);
      });
  command->add_option("--image", in->image, "The picture")->required()->check(CLI::ExistingFile);
  command->add_option("--size", in->size, "WxH of the result (W alone keeps the aspect)")
      ->required();
}

// ---- patch analogy ----

struct AnalogyInputs {
  PatchCommon common;
  std::string a, b;
};

void add_analogy(CLI::App& patch, Context& context, std::function<int()>& action) {
  auto in = std::make_shared<AnalogyInputs>();
  CLI::App* command = add_patch_command(
      patch, "analogy",
      "a2b.png: a's structure in b's patches; b2a.png: b's structure in a's (sizes may differ)",
      in->common, "Folder for a2b.png and b2a.png", context, action, [in, &context] {
        check_folder(in->common.out);
        const PatchnnAnalogyPair r =
            patchnn_analogies(load_image(in->a), load_image(in->b), in->common.params(), in->a,
                              in->b, context.compute, context.job_callbacks("patchnn"));
        fs::create_directories(in->common.out);
        const std::string a2b = (fs::path(in->common.out) / "a2b.png").string();
        const std::string b2a = (fs::path(in->common.out) / "b2a.png").string();
        save_image(r.a2b, a2b);
        save_image(r.b2a, b2a);
        context.print_result({{"operation", "analogy"},
                              {"files", {a2b, b2a}},
                              {"seconds", r.report.seconds},
                              {"notes", notes_json(r.report)}},
                             [&] {
                               print_report(r.report);
                               std::printf("wrote %s and %s\n", a2b.c_str(), b2a.c_str());
                             });
        return kExitOk;
      });
  command->add_option("--a", in->a, "Picture a")->required()->check(CLI::ExistingFile);
  command->add_option("--b", in->b, "Picture b")->required()->check(CLI::ExistingFile);
}

// ---- patch paint ----

struct PaintInputs {
  PatchCommon common;
  std::string image, painting;
};

void add_paint(CLI::App& patch, Context& context, std::function<int()>& action) {
  auto in = std::make_shared<PaintInputs>();
  CLI::App* command = add_patch_command(
      patch, "paint", "Paint-to-image: a rough painting becomes a picture of the picture's patches",
      in->common, "The result (.png or .jpg)", context, action, [in, &context] {
        check_picture_path(in->common.out);
        const PatchnnImageResult r = patchnn_paint(
            load_image(in->image), load_image(in->painting), in->common.params(), in->image,
            in->painting, context.compute, context.job_callbacks("patchnn"));
        return finish_picture(context, "paint", r, in->common.out);
      });
  command->add_option("--image", in->image, "The picture whose patches are used")
      ->required()
      ->check(CLI::ExistingFile);
  command
      ->add_option("--painting", in->painting,
                   "The rough painting (resized to the picture's size when it differs)")
      ->required()
      ->check(CLI::ExistingFile);
}

void add_commands(CLI::App& app, Context& context, std::function<int()>& action) {
  CLI::App* patch = app.add_subcommand(
      "patch",
      "The instant mode (patchnn): new pictures, retargeting, analogies and paint-to-image from "
      "a picture's own patches in seconds, no training");
  patch->require_subcommand(1);
  add_sample(*patch, context, action);
  add_retarget(*patch, context, action);
  add_analogy(*patch, context, action);
  add_paint(*patch, context, action);
}

// ---- video-variations --method patchnn ----

struct VariationsOptions {
  double noise = -1;
};

int run_variations(const VariationsRequest& request, const VariationsOptions& own,
                   Context& context) {
  if (request.n < 1) throw usage_error("video-variations: --n must be at least 1");
  PatchnnVariationsParams p;
  p.clip.video = request.video;
  p.clip.start = request.start;
  p.clip.frames = request.frames;
  p.clip.fps = request.fps;
  if (!request.size.empty()) {
    std::tie(p.sample.width, p.sample.height) = parse_output_size(request.size);
    p.clip.width = p.sample.width;  // the clip's patches at the variations' scale
  }
  p.sample.frames = request.sample_frames;
  p.sample.noise_std = own.noise;
  p.preset = request.preset;
  p.overrides = request.overrides;
  p.n = request.n;
  p.seed = request.seed;
  p.out_dir = variations_folder(request);
  p.compute = context.compute;
  const PatchnnVariationsResult r =
      make_patchnn_video_variations(p, context.job_callbacks("patchnn"));
  context.print_result({{"folder", p.out_dir},
                        {"method", "patchnn"},
                        {"input", r.input},
                        {"variations", r.files},
                        {"contact_sheet", r.contact_sheet},
                        {"seconds", r.seconds},
                        {"notes", notes_json(r.report)}},
                       [&] {
                         const Video& first = r.variations.front();
                         for (const std::string& note : r.report.notes)
                           std::printf("note: %s\n", note.c_str());
                         std::printf("%d variations of %d frames at %dx%d in %.1f s, in %s/\n", p.n,
                                     static_cast<int>(first.frames.size()), first.width(),
                                     first.height(), r.seconds, p.out_dir.c_str());
                         for (const auto& f : r.files) std::printf("  %s\n", f.c_str());
                         std::printf("  %s (input, then one row per variation)\n",
                                     r.contact_sheet.c_str());
                         std::printf("  %s (the clip as used)\n", r.input.c_str());
                       });
  return kExitOk;
}

std::function<int()> add_video_variations(CLI::App& command, Context& context,
                                          const VariationsRequest& request) {
  auto own = std::make_shared<VariationsOptions>();
  command
      .add_option("--noise", own->noise,
                  "Noise on the coarsest clip, [0, 1] pixel units (default: the preset's)")
      ->check(CLI::NonNegativeNumber)
      ->group("patchnn");
  return [&request, own, &context] { return run_variations(request, *own, context); };
}

}  // namespace

MethodCli patchnn_cli() {
  MethodCli cli;
  cli.id = "patchnn";
  cli.summary = "The instant mode: patch nearest-neighbour generation (GPNN / VGPNN), no training";
  cli.add_eval = add_patchnn_eval;
  cli.eval_summary =
      "Measure the instant mode on pictures, pairs and clips (no model file; --compare adds the "
      "learned methods)";
  cli.add_bench = add_patchnn_bench;
  cli.add_commands = add_commands;
  cli.add_video_variations = add_video_variations;
  return cli;
}

}  // namespace atelier::cli
