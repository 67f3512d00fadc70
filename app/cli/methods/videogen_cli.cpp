// atelier-cli's videogen commands: train videogen, run MODEL sample|reconstruct, eval, bench, and
// the one-click `video-variations VIDEO`.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "atelier/error.h"
#include "atelier/videogen.h"
#include "methods/method_cli_support.h"
#include "methods/method_registry.h"
#include "option_checks.h"

namespace atelier::cli {
namespace {

namespace fs = std::filesystem;

// --start, --frames, --fps: which part of the video becomes the training clip.
void add_clip_options(CLI::App& command, VideoClipChoice& clip) {
  command.add_option("--start", clip.start, "First frame of the clip")
      ->check(number_in(0, 1e9))
      ->capture_default_str();
  command.add_option("--frames", clip.frames, "Frames of the clip (default: the preset's)")
      ->check(number_in(2, kMaxFrames));
  command.add_option("--fps", clip.fps, "Subsample the video to at most this frame rate")
      ->check(number_in(0.1, 1000));
}

// Writes every sample as <dir>/<stem>_<i>.mp4 and .gif; returns the paths.
std::vector<std::string> write_samples(const std::vector<Video>& samples, const std::string& dir,
                                       const std::string& stem) {
  fs::create_directories(dir);
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const std::string base = (fs::path(dir) / (stem + "_" + std::to_string(i + 1))).string();
    write_video(samples[i], base + ".mp4");
    write_video(samples[i], base + ".gif");
    paths.push_back(base + ".mp4");
    paths.push_back(base + ".gif");
  }
  return paths;
}

std::vector<Video> draw_samples(const VideogenModel& model, int n, std::uint64_t seed,
                                const VideogenSampleOptions& base) {
  std::vector<Video> samples;
  for (int i = 0; i < n; ++i) {
    VideogenSampleOptions o = base;
    o.seed = seed + static_cast<std::uint64_t>(i);
    samples.push_back(model.sample(o));
  }
  return samples;
}

std::function<int()> add_train(CLI::App& command, Context& context, const TrainCommon& common) {
  auto clip = std::make_shared<VideoClipChoice>();
  command.add_option("--video", clip->video, "The training video")
      ->required()
      ->check(CLI::ExistingFile);
  add_clip_options(command, *clip);
  return [clip, &context, &common] {
    common.check_outputs({{"--video", clip->video}});
    Preset preset = load_preset("videogen", common.preset);
    apply_overrides(preset, common.overrides);
    const Video video = read_videogen_clip(*clip, preset);
    const TrainResult result =
        train_videogen(video, preset, common.options(context),
                       context.job_callbacks("videogen", common.preview_dir));
    return report_training(context, result);
  };
}

struct RunOptions {
  int n = 4;
  int frames = 0;
  double temperature = -1;
  double layout = -1;
  int start_level = 0;
  int level = -1;
  std::uint64_t seed = 1;
  std::string out;
};

std::function<int()> add_run(const std::string& operation, CLI::App& command, Context& context,
                             const std::string& model) {
  auto o = std::make_shared<RunOptions>();
  if (operation == "sample") {
    command.add_option("--out", o->out, "Folder for the samples (MP4 and GIF each)")->required();
    command.add_option("--n", o->n, "Number of samples")
        ->check(number_in(1, kMaxImages))
        ->capture_default_str();
    command.add_option("--frames", o->frames, "Frames per sample (default: the clip's)")
        ->check(number_in(2, kMaxFrames));
    command
        .add_option("--temperature", o->temperature,
                    "Latent spread: 0 the mean, 1 as trained (default: the model's)")
        ->check(number_in(0, 10));
    command
        .add_option("--layout", o->layout,
                    "0..1: 0 new arrangements, 1 keep the clip's layout and vary the rest "
                    "(default: the model's)")
        ->check(number_in(0, 1));
    command.add_option("--start-level", o->start_level, "Levels below this follow the real clip")
        ->check(number_in(0, kMaxScaleOption))
        ->capture_default_str();
    command.add_option("--seed", o->seed, "Seed of the first sample")
        ->check(seed_value())
        ->capture_default_str();
  } else {
    command.add_option("--out", o->out, "Output video (.mp4 or .gif)")->required();
    command.add_option("--level", o->level, "Up to this level (default: the finest)")
        ->check(number_in(0, kMaxScaleOption));
  }
  return [operation, o, &context, model] {
    check_run_output(o->out, {{"MODEL", model}});
    const VideogenModel videogen = VideogenModel::load(model, context.compute);
    nlohmann::json files = nlohmann::json::array();
    if (operation == "sample") {
      VideogenSampleOptions base;
      base.frames = o->frames;
      base.temperature = o->temperature;
      base.layout = o->layout;
      base.start_level = o->start_level;
      for (const auto& path :
           write_samples(draw_samples(videogen, o->n, o->seed, base), o->out, "sample"))
        files.push_back(path);
    } else {
      write_video(videogen.reconstruct(o->level), o->out);
      files.push_back(o->out);
    }
    context.print_result({{"operation", operation}, {"files", files}}, [&] {
      for (const auto& f : files) std::printf("wrote %s\n", f.get<std::string>().c_str());
    });
    return kExitOk;
  };
}

nlohmann::json colour_json(const ColourStats& c) {
  return {{"brightness", c.brightness}, {"contrast", c.contrast}, {"saturation", c.saturation}};
}

struct EvalInputs {
  std::string model;
  VideoClipChoice reference;
  VideogenEvalOptions options;
};

std::function<int()> add_eval(CLI::App& command, Context& context) {
  auto in = std::make_shared<EvalInputs>();
  command.add_option("model", in->model, "Model file (.atl)")->required()->check(CLI::ExistingFile);
  command
      .add_option("--video", in->reference.video,
                  "Compare with this video (default: the clip stored in the model)")
      ->check(CLI::ExistingFile);
  command.add_option("--start", in->reference.start, "First frame of --video")
      ->check(number_in(0, 1e9));
  command.add_option("--fps", in->reference.fps, "Subsample --video to at most this rate")
      ->check(number_in(0.1, 1000));
  command.add_option("--samples", in->options.samples, "Random samples drawn")
      ->check(number_in(2, kMaxImages))
      ->capture_default_str();
  command.add_option("--seed", in->options.seed, "Seed of the first sample")
      ->check(seed_value())
      ->capture_default_str();
  command.add_option("--start-level", in->options.start_level, "Samples from this level")
      ->check(number_in(0, kMaxScaleOption))
      ->capture_default_str();
  command
      .add_option("--temperature", in->options.temperature, "Latent spread (default: the model's)")
      ->check(number_in(0, 10));
  command
      .add_option("--layout", in->options.layout,
                  "0..1: how much of the clip's layout (default: the model's)")
      ->check(number_in(0, 1));
  return [in, &context] {
    Video reference;
    if (!in->reference.video.empty()) {
      VideoReadOptions read;
      read.start = in->reference.start;
      read.fps = in->reference.fps;
      reference = read_video(in->reference.video, read);
      if (reference.frames.size() < 2) {
        throw bad_input(in->reference.video + ": has " + std::to_string(reference.frames.size()) +
                        " frame; a reference video needs at least 2 (motion is compared)");
      }
    }
    const VideogenEvalResult r =
        evaluate_videogen(in->model, in->options, context.compute, reference);
    context.print_result(
        {{"model", in->model},
         {"size", {r.width, r.height}},
         {"frames", r.frames},
         {"samples", r.samples},
         {"temperature", r.temperature},
         {"layout", r.layout},
         {"swd_samples", r.swd_samples},
         {"swd_flipped", r.swd_flipped},
         {"swd_ratio", r.swd_ratio},
         {"frame_swd_samples", r.frame_swd_samples},
         {"frame_swd_mirrored", r.frame_swd_mirrored},
         {"frame_swd_ratio", r.frame_swd_ratio},
         {"diversity", r.diversity},
         {"motion_samples", r.motion_samples},
         {"motion_real", r.motion_real},
         {"motion_ratio", r.motion_ratio},
         {"rec_psnr", r.rec_psnr},
         {"colour_samples", colour_json(r.colour_samples)},
         {"colour_real", colour_json(r.colour_real)},
         {"seconds", r.seconds}},
        [&] {
          std::printf(
              "%d samples at temperature %.2f, layout %.2f, against the %dx%d clip of %d frames "
              "(%.1f s)\n",
              r.samples, r.temperature, r.layout, r.width, r.height, r.frames, r.seconds);
          std::printf("video patch SWD x1000: samples %.2f, mirrored clip %.2f, ratio %.2f\n",
                      1000 * r.swd_samples, 1000 * r.swd_flipped, r.swd_ratio);
          std::printf("frame patch SWD x1000: samples %.2f, mirrored frames %.2f, ratio %.2f\n",
                      1000 * r.frame_swd_samples, 1000 * r.frame_swd_mirrored, r.frame_swd_ratio);
          std::printf("diversity %.3f; motion %.4f vs the clip's %.4f (ratio %.2f)\n", r.diversity,
                      r.motion_samples, r.motion_real, r.motion_ratio);
          std::printf("reconstruction %.2f dB\n", r.rec_psnr);
          const ColourStats &c = r.colour_samples, &real = r.colour_real;
          std::printf(
              "colour (samples vs the clip): brightness %.3f vs %.3f, contrast %.3f vs %.3f, "
              "saturation %.3f vs %.3f\n",
              c.brightness, real.brightness, c.contrast, real.contrast, c.saturation,
              real.saturation);
        });
    return kExitOk;
  };
}

struct BenchInputs {
  VideogenBenchOptions options;
  std::string video, size;
};

std::function<int()> add_bench(CLI::App& command, Context& context) {
  auto in = std::make_shared<BenchInputs>();
  add_multiscale_bench_options(command, in->options, "level");
  command.add_option("--video", in->video, "Video whose pyramid is used (default: random)")
      ->check(CLI::ExistingFile);
  command.add_option("--size", in->size, "WxH of the random clip (default: max_size wide, 4:3)");
  return [in, &context] {
    VideogenBenchOptions options = in->options;
    options.compute = context.compute;
    if (!in->video.empty()) options.clip = read_video(in->video);
    if (!in->size.empty()) std::tie(options.width, options.height) = parse_size(in->size);
    const MultiScaleBenchResult r = bench_videogen(options);
    context.print_result(to_json(r), [&] { print_bench(r); });
    return kExitOk;
  };
}

// ---- video-variations --method videogen: decode, train, sample, export, in one command ----

// The options only videogen's variations take.
struct VariationsOptions {
  double temperature = -1;
  double layout = -1;
  std::string resume;
};

int run_variations(const VariationsRequest& request, const VariationsOptions& own,
                   Context& context) {
  if (request.n < 1) throw usage_error("video-variations: --n must be at least 1");
  if (!request.size.empty()) {
    throw usage_error(
        "video-variations: videogen's variations have the size of the clip it learns; --size "
        "needs --method patchnn (or --set max_size=N for the learned clip)");
  }
  VideoVariationsParams p;
  p.clip.video = request.video;
  p.clip.start = request.start;
  p.clip.frames = request.frames;
  p.clip.fps = request.fps;
  p.preset = request.preset;
  p.overrides = request.overrides;
  p.n = request.n;
  p.seed = request.seed;
  p.sample.frames = request.sample_frames;
  p.sample.temperature = own.temperature;
  p.sample.layout = own.layout;
  p.resume = own.resume;
  const std::string out = variations_folder(request, !p.resume.empty());
  p.out_dir = out;
  p.compute = context.compute;
  const VideoVariationsResult r = make_video_variations(p, context.job_callbacks("videogen"));
  if (!r.finished) {
    context.print_result({{"model", r.model}, {"finished", false}}, [&] {
      std::printf(
          "stopped after %.0f s; continue with\n"
          "  atelier-cli video-variations %s --out %s --resume %s\n",
          r.train_seconds, p.clip.video.c_str(), out.c_str(), r.model.c_str());
    });
    return kExitCancelled;
  }
  context.print_result(
      {{"folder", out},
       {"method", "videogen"},
       {"model", r.model},
       {"input", r.input},
       {"variations", r.files},
       {"contact_sheet", r.contact_sheet},
       {"train_seconds", r.train_seconds}},
      [&] {
        const Video& first = r.variations.front();
        std::printf("trained in %.0f s; %d variations of %d frames at %dx%d in %s/\n",
                    r.train_seconds, p.n, static_cast<int>(first.frames.size()), first.width(),
                    first.height(), out.c_str());
        for (const auto& f : r.files) std::printf("  %s\n", f.c_str());
        std::printf("  %s (input, then one row per variation)\n", r.contact_sheet.c_str());
        std::printf("  %s (the clip as trained), %s\n", r.input.c_str(), r.model.c_str());
      });
  return kExitOk;
}

std::function<int()> add_video_variations(CLI::App& command, Context& context,
                                          const VariationsRequest& request) {
  auto own = std::make_shared<VariationsOptions>();
  const std::string group = "videogen";
  command
      .add_option("--temperature", own->temperature,
                  "Variety: 0 the mean clip, 1 as trained (default: the preset's)")
      ->check(number_in(0, 10))
      ->group(group);
  command
      .add_option("--layout", own->layout,
                  "0..1: 0 new arrangements, 1 keep the clip's layout and vary the rest "
                  "(default: the preset's)")
      ->check(number_in(0, 1))
      ->group(group);
  command
      .add_option("--resume", own->resume,
                  "Continue a stopped run from its model file (e.g. OUT/model.atl)")
      ->check(CLI::ExistingFile)
      ->group(group);
  return [&request, own, &context] { return run_variations(request, *own, context); };
}

}  // namespace

MethodCli videogen_cli() {
  MethodCli cli;
  cli.id = "videogen";
  cli.summary = "Video generation from one clip: a hierarchical patch VAE-GAN";
  cli.add_train = add_train;
  cli.train_inputs = {"--video"};
  cli.operations = {
      {"sample", "new clips: --n N [--frames F] [--temperature T] [--layout L] --out DIR"},
      {"reconstruct", "the training clip as the model rebuilds it (--out X.mp4)"}};
  cli.add_run = add_run;
  cli.add_eval = add_eval;
  cli.add_bench = add_bench;
  cli.bench_multiscale = [](const MultiScaleBenchOptions& common) {
    VideogenBenchOptions options;
    static_cast<MultiScaleBenchOptions&>(options) = common;
    return bench_videogen(options);
  };
  cli.add_video_variations = add_video_variations;
  return cli;
}

}  // namespace atelier::cli
