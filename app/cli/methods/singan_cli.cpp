// atelier-cli's singan commands: train singan, run MODEL sample|interpolate|animate|paint|reconstruct.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <tuple>

#include "atelier/error.h"
#include "atelier/singan.h"
#include "methods/method_cli_support.h"
#include "methods/method_registry.h"
#include "option_checks.h"

namespace atelier::cli {
namespace {

struct TrainInputs {
  std::string image;
};

struct RunOptions {
  int n = 1;
  std::string size;  // WxH
  int start_scale = 0;
  std::uint64_t seed = 0;
  std::string out;
  int frames = 24;
  double smoothness = 0.9;
  double fps = 10;
  std::string painting;
  int scale = 1;
  std::uint64_t seed_b = 1;
  int steps = 8;
};

std::function<int()> add_train(CLI::App& command, Context& context, const TrainCommon& common) {
  auto inputs = std::make_shared<TrainInputs>();
  command.add_option("--image", inputs->image, "The training image")
      ->required()
      ->check(CLI::ExistingFile);
  return [inputs, &context, &common] {
    common.check_outputs({{"--image", inputs->image}});
    Preset preset = load_preset("singan", common.preset);
    apply_overrides(preset, common.overrides);
    const Image image = load_image(inputs->image);
    const TrainResult result =
        train_singan(image, preset, common.options(context),
                     context.job_callbacks("singan", common.preview_dir));
    return report_training(context, result);
  };
}

std::function<int()> add_run(const std::string& operation, CLI::App& command, Context& context,
                             const std::string& model) {
  auto o = std::make_shared<RunOptions>();
  command.add_option("--out", o->out, "Output file")->required();
  command.add_option("--seed", o->seed, "Noise seed")->check(seed_value())->capture_default_str();
  if (operation == "sample" || operation == "interpolate" || operation == "animate") {
    command.add_option("--size", o->size, "Output size WxH (retargeting); default: training size");
    command
        .add_option("--start-scale", o->start_scale,
                    "Scales below this keep the training image's layout")
        ->check(number_in(0, kMaxScaleOption))
        ->capture_default_str();
  }
  if (operation == "sample")
    command.add_option("--n", o->n, "Number of samples (a grid when > 1)")
        ->check(number_in(1, kMaxImages))
        ->capture_default_str();
  if (operation == "interpolate") {
    command.add_option("--to-seed", o->seed_b, "Seed at the end of the interpolation")
        ->check(seed_value());
    command.add_option("--steps", o->steps, "Images in the strip or frames of the GIF/MP4")
        ->check(number_in(1, kMaxImages))
        ->capture_default_str();
  }
  if (operation == "animate") {
    command.add_option("--frames", o->frames)
        ->check(number_in(1, kMaxFrames))
        ->capture_default_str();
    command.add_option("--smoothness", o->smoothness, "0..1: how slowly the noise wanders")
        ->check(number_in(0, 0.999))
        ->capture_default_str();
    command.add_option("--fps", o->fps)->check(number_in(0.1, 1000))->capture_default_str();
  }
  if (operation == "paint") {
    command.add_option("--image", o->painting, "A rough painting")->required()->check(
        CLI::ExistingFile);
    command.add_option("--scale", o->scale, "Scale at which the painting is injected")
        ->check(number_in(0, kMaxScaleOption))
        ->capture_default_str();
  }
  return [operation, o, &context, model] {
    check_run_output(o->out, {{"MODEL", model}, {"--image", o->painting}});
    const SinganModel singan = SinganModel::load(model, context.compute);
    SinganSampleOptions sample;
    sample.seed = o->seed;
    sample.start_scale = o->start_scale;
    if (!o->size.empty()) std::tie(sample.width, sample.height) = parse_size(o->size);

    if (operation == "sample") {
      std::vector<Image> images;
      for (int i = 0; i < o->n; ++i) {
        sample.seed = o->seed + i;
        images.push_back(singan.sample(sample));
      }
      write_images(images, o->out);
    } else if (operation == "reconstruct") {
      save_image(singan.reconstruct(), o->out);
    } else if (operation == "interpolate") {
      std::vector<Image> frames;
      for (int i = 0; i < o->steps; ++i)
        frames.push_back(singan.interpolate(o->seed, o->seed_b, o->steps == 1 ? 0.0 : double(i) / (o->steps - 1), sample));
      write_sequence(frames, o->out, 10);
    } else if (operation == "animate") {
      SinganAnimateOptions animate;
      animate.seed = o->seed;
      animate.width = sample.width;
      animate.height = sample.height;
      animate.start_scale = o->start_scale;
      animate.smoothness = o->smoothness;
      animate.fps = o->fps;
      write_video(singan.animate(o->frames, animate), o->out);
    } else if (operation == "paint") {
      save_image(singan.paint(load_image(o->painting), o->scale, o->seed), o->out);
    }
    context.print_result({{"operation", operation}, {"out", o->out}},
                         [&] { std::printf("wrote %s\n", o->out.c_str()); });
    return kExitOk;
  };
}

struct EvalInputs {
  std::string model;
  SinganEvalOptions options;
};

std::function<int()> add_eval(CLI::App& command, Context& context) {
  auto in = std::make_shared<EvalInputs>();
  command.add_option("model", in->model, "Model file (.atl)")->required()->check(CLI::ExistingFile);
  command.add_option("--samples", in->options.samples, "Random samples drawn")
      ->check(number_in(2, kMaxImages))
      ->capture_default_str();
  command.add_option("--seed", in->options.seed, "Seed of the first sample")
      ->check(seed_value())
      ->capture_default_str();
  command.add_option("--start-scale", in->options.start_scale, "Samples from this scale")
      ->check(number_in(0, kMaxScaleOption))
      ->capture_default_str();
  return [in, &context] {
    const SinganEvalResult r = evaluate_singan(in->model, in->options, context.compute);
    context.print_result(
        {{"model", in->model},
         {"size", {r.width, r.height}},
         {"samples", r.samples},
         {"start_scale", r.start_scale},
         {"swd_samples", r.swd_samples},
         {"swd_flipped", r.swd_flipped},
         {"swd_ratio", r.swd_ratio},
         {"diversity", r.diversity},
         {"rec_psnr", r.rec_psnr},
         {"seconds", r.seconds}},
        [&] {
          std::printf("%d samples from scale %d at %dx%d (%.1f s)\n", r.samples, r.start_scale,
                      r.width, r.height, r.seconds);
          std::printf("patch SWD x1000: samples %.2f, mirrored training image %.2f, ratio %.2f\n",
                      1000 * r.swd_samples, 1000 * r.swd_flipped, r.swd_ratio);
          std::printf("diversity %.3f, reconstruction %.2f dB\n", r.diversity, r.rec_psnr);
        });
    return kExitOk;
  };
}

struct BenchInputs {
  SinganBenchOptions options;
  std::string image, size;
};

std::function<int()> add_bench(CLI::App& command, Context& context) {
  auto in = std::make_shared<BenchInputs>();
  add_multiscale_bench_options(command, in->options, "scale");
  command.add_option("--image", in->image, "Image whose pyramid is used (default: random)")
      ->check(CLI::ExistingFile);
  command.add_option("--size", in->size, "WxH of the random image (default: max_size square)");
  return [in, &context] {
    SinganBenchOptions options = in->options;
    options.compute = context.compute;
    if (!in->image.empty()) options.image = load_image(in->image);
    if (!in->size.empty()) std::tie(options.width, options.height) = parse_size(in->size);
    const MultiScaleBenchResult r = bench_singan(options);
    context.print_result(to_json(r), [&] { print_bench(r); });
    return kExitOk;
  };
}

}  // namespace

MethodCli singan_cli() {
  MethodCli cli;
  cli.id = "singan";
  cli.summary = "Single-image generation: a multi-scale patch GAN learns one image";
  cli.add_train = add_train;
  cli.train_inputs = {"--image"};
  cli.operations = {{"sample", "random images (--n, --size WxH, --start-scale)"},
                    {"reconstruct", "the training image as the model rebuilds it"},
                    {"interpolate", "from --seed to --to-seed (PNG strip, GIF or MP4)"},
                    {"animate", "a smooth random walk in noise (GIF or MP4)"},
                    {"paint", "paint-to-image: --image PAINTING --scale K"}};
  cli.add_run = add_run;
  cli.add_eval = add_eval;
  cli.add_bench = add_bench;
  cli.bench_multiscale = [](const MultiScaleBenchOptions& common) {
    SinganBenchOptions options;
    static_cast<MultiScaleBenchOptions&>(options) = common;
    return bench_singan(options);
  };
  return cli;
}

}  // namespace atelier::cli
