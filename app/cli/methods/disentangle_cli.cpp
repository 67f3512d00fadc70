// atelier-cli's disentangle commands: train disentangle --a DIR --b DIR, run MODEL transfer|
// remove|strength|interpolate|grid|reconstruct, eval disentangle, bench disentangle. The shared
// parts of masktransfer's commands live here too (methods/transfer_cli.h).
#include <cctype>
#include <cstdio>
#include <iostream>
#include <memory>

#include "atelier/disentangle.h"
#include "atelier/error.h"
#include "atelier/json_text.h"
#include "atelier/model_file.h"
#include "methods/method_cli_support.h"
#include "methods/method_registry.h"
#include "methods/transfer_cli.h"
#include "option_checks.h"

namespace atelier::cli {
namespace transfer {

Attribute parse_attribute(const std::string& text) {
  if (text == "a" || text == "A") return Attribute::A;
  if (text == "b" || text == "B") return Attribute::B;
  throw usage_error("attribute '" + text + "' is not a or b");
}

CodePart parse_part(const std::string& text) {
  if (text == "common") return CodePart::Common;
  if (text == "a" || text == "A") return CodePart::A;
  if (text == "b" || text == "B") return CodePart::B;
  if (text == "all") return CodePart::All;
  throw usage_error("code part '" + text + "' is not common, a, b or all");
}

void add_strength_options(CLI::App& command, std::string& attribute, double& value) {
  command.add_option("--attribute", attribute, "a or b")
      ->required()
      ->check(CLI::IsMember({"a", "b", "A", "B"}));
  command.add_option("--value", value, "Scale of the separate code, 0..2")
      ->required()
      ->check(number_in(0, 2));
}

std::vector<NamedPath> run_inputs(const std::string& model, const std::string& image,
                                  const std::string& from, const std::string& onto,
                                  const std::string& to) {
  return {{"MODEL", model}, {"--image", image}, {"--from", from}, {"--onto", onto}, {"--to", to}};
}

namespace {
struct Folders {
  std::string a, b;
  DistributedCommon distributed;
};
}  // namespace

std::function<int()> add_train(const std::string& method, CLI::App& command, Context& context,
                               const TrainCommon& common, SizeOfPreset size, Trainer train) {
  auto folders = std::make_shared<Folders>();
  command
      .add_option("--a", folders->a,
                  "Folder of domain A images, or a text file listing them (one path per line)")
      ->required()
      ->check(CLI::ExistingPath);
  command.add_option("--b", folders->b, "Folder or list file of domain B images")
      ->required()
      ->check(CLI::ExistingPath);
  folders->distributed.add_to(command);
  return [method, folders, &context, &common, size, train] {
    const DistributedOptions world = folders->distributed.resolve();
    // Rank 0 alone writes files.
    if (world.rank == 0) common.check_outputs({{"--a", folders->a}, {"--b", folders->b}});
    Preset preset = load_preset(method, common.preset);
    apply_overrides(preset, common.overrides);
    // A resumed file trains on with its own parameters, its picture size among them.
    const int image_size =
        size(common.resume.empty() ? preset : stored_preset(method, common.resume));
    const TransferImages images = load_transfer_images(
        folders->a, folders->b, image_size, warning_printer(context), world.rank, world.world_size);
    const TrainOptions options = common.options(context, world);
    return train_as_rank(
        context, world, method, common.preview_dir,
        [&](const Callbacks& callbacks) { return train(images, preset, options, callbacks); });
  };
}

namespace {
struct EvalInputs {
  std::string model, a, b, truth, judge_a, judge_b, save;
  int max_pairs = 0;
  int classifier_steps = TransferEvalOptions().classifier_steps;
  double threshold = -1;
  std::uint64_t seed = 1;
};
}  // namespace

std::function<int()> add_eval(const std::string& method, CLI::App& command, Context& context) {
  auto in = std::make_shared<EvalInputs>();
  command.add_option("model", in->model, "Model file (.atl)")->required()->check(CLI::ExistingFile);
  command.add_option("--a", in->a, "Test images of domain A")
      ->required()
      ->check(CLI::ExistingDirectory);
  command.add_option("--b", in->b, "Test images of domain B")
      ->required()
      ->check(CLI::ExistingDirectory);
  command.add_option("--truth", in->truth, "A composite set's test/truth folder")
      ->check(CLI::ExistingDirectory);
  command
      .add_option("--judge-a", in->judge_a,
                  "Real A images to train the A-vs-B judge on (default: 80 % of --a)")
      ->check(CLI::ExistingDirectory);
  command.add_option("--judge-b", in->judge_b, "Real B images for the judge (with --judge-a)")
      ->check(CLI::ExistingDirectory);
  command.add_option("--max-pairs", in->max_pairs, "Evaluate at most this many pairs (0: all)")
      ->check(number_in(0, 1e9))
      ->capture_default_str();
  command
      .add_option("--classifier-steps", in->classifier_steps, "Training steps of the A-vs-B judge")
      ->check(number_in(1, 1e6))
      ->capture_default_str();
  command.add_option("--seed", in->seed, "Seed of the judge's training")
      ->check(seed_value())
      ->capture_default_str();
  command.add_option("--save", in->save,
                     "Write every transfer and removal, the judge's verdicts and sheet.png (the "
                     "first 16 pairs at a glance) into this new or empty folder");
  if (method == "masktransfer") {
    command
        .add_option("--threshold", in->threshold,
                    "Removal mask threshold (0: soft mask; default: the model's)")
        ->check(number_in(0, 0.999));
  }
  return [method, in, &context] {
    if (!in->save.empty())
      check_output_folder("--save", in->save,
                          {{"MODEL", in->model}, {"--a", in->a}, {"--b", in->b}});
    const ModelInfo info = inspect_model(in->model);
    if (info.method != method) {
      throw bad_input(in->model + ": a '" + info.method + "' model, not " + method);
    }
    TransferEvalOptions options;
    options.truth = in->truth;
    options.judge_a = in->judge_a;
    options.judge_b = in->judge_b;
    options.max_pairs = in->max_pairs;
    options.classifier_steps = in->classifier_steps;
    options.seed = in->seed;
    options.mask_threshold = in->threshold;
    options.save_dir = in->save;
    const TransferEvalResult r =
        evaluate_transfer_model(in->model, in->a, in->b, options, context.compute,
                                warning_printer(context), context.job_callbacks("eval " + method));
    nlohmann::json result = r.to_json();
    result["model"] = in->model;
    context.print_result(result, [&] {
      std::printf("%d pairs, %.1f s\n", r.pairs, r.seconds);
      std::printf("reconstruction  A: L1 %.4f, %.2f dB   B: L1 %.4f, %.2f dB\n", r.rec_l1_a,
                  r.rec_psnr_a, r.rec_l1_b, r.rec_psnr_b);
      std::printf("judge accuracy on real images it did not train on: %.1f %%\n",
                  100 * r.classifier_accuracy);
      std::printf(
          "transfers classified into the target domain: A onto B %.1f %%, B onto A %.1f %%\n",
          100 * r.a_to_b_as_a, 100 * r.b_to_a_as_b);
      if (r.has_truth) {
        std::printf("removal PSNR vs true background  A: %.2f dB   B: %.2f dB\n", r.removal_psnr_a,
                    r.removal_psnr_b);
        std::printf("transfer PSNR vs true composite  A onto B: %.2f dB   B onto A: %.2f dB\n",
                    r.transfer_psnr_ab, r.transfer_psnr_ba);
        std::printf(
            "the judge on the true composites (its reference): A onto B %.1f %%, "
            "B onto A %.1f %%\n",
            100 * r.truth_ab_as_a, 100 * r.truth_ba_as_b);
      }
    });
    return kExitOk;
  };
}

namespace {
struct BenchInputs {
  std::string preset = "preview";
  int steps = 5;
  int repeats = 20;
};
}  // namespace

std::function<int()> add_bench(const std::string& method, CLI::App& command, Context& context) {
  auto in = std::make_shared<BenchInputs>();
  command.add_option("--preset", in->preset, "Preset whose networks are measured")
      ->capture_default_str();
  command.add_option("--steps", in->steps, "Timed training steps")
      ->check(number_in(1, 100000))
      ->capture_default_str();
  command.add_option("--repeats", in->repeats, "Timed encode/generate calls")
      ->check(number_in(1, 100000))
      ->capture_default_str();
  return [method, in, &context] {
    TransferBenchOptions options;
    options.compute = context.compute;
    options.method = method;
    options.preset = in->preset;
    options.train_steps = in->steps;
    options.repeats = in->repeats;
    const TransferBenchResult r = bench_transfer(options);
    nlohmann::json latency = nlohmann::json::array();
    for (const auto& l : r.latency) {
      latency.push_back(
          {{"size", l.size}, {"encode_ms", l.encode_ms}, {"generate_ms", l.generate_ms}});
    }
    context.print_result(
        {{"method", method},
         {"preset", in->preset},
         {"device", r.device},
         {"threads", r.threads},
         {"image_size", r.image_size},
         {"batch", r.batch},
         {"train_step_ms", r.train_step_ms},
         {"train_images_per_s", r.train_images_per_s},
         {"peak_rss_mb", r.peak_rss_mb},
         {"latency", latency}},
        [&] {
          std::printf("%s %s on %s, %d threads (medians)\n", method.c_str(), in->preset.c_str(),
                      r.device.c_str(), r.threads);
          std::printf("training step, batch %d + %d at %d px: %.1f ms (%.1f images/s)\n", r.batch,
                      r.batch, r.image_size, r.train_step_ms, r.train_images_per_s);
          for (const auto& l : r.latency) {
            std::printf("one image at %3d px: encode %.2f ms, generate %.2f ms\n", l.size,
                        l.encode_ms, l.generate_ms);
          }
          std::printf("peak resident memory: %.0f MB\n", r.peak_rss_mb);
        });
    return kExitOk;
  };
}

}  // namespace transfer

namespace {

struct RunOptions {
  std::string out, image, from, onto, to, attribute, part = "all";
  double value = 1;
  int steps = 8, rows = 4, columns = 4;
  double fps = 8;
};

std::function<int()> add_run(const std::string& operation, CLI::App& command, Context& context,
                             const std::string& model) {
  auto o = std::make_shared<RunOptions>();
  command.add_option("--out", o->out, "Output image (interpolate: strip PNG, GIF or MP4)")
      ->required();
  if (operation == "transfer") {
    command.add_option("--from", o->from, "Image whose attribute is taken")
        ->required()
        ->check(CLI::ExistingFile);
    command.add_option("--onto", o->onto, "Image that receives it")
        ->required()
        ->check(CLI::ExistingFile);
    command.add_option("--attribute", o->attribute,
                       "a or b (default: the stronger separate code of --from)");
  } else if (operation == "interpolate" || operation == "grid") {
    command.add_option("--from", o->from)->required()->check(CLI::ExistingFile);
    command.add_option("--to", o->to)->required()->check(CLI::ExistingFile);
    if (operation == "interpolate") {
      command.add_option("--steps", o->steps)
          ->check(number_in(2, kMaxImages))
          ->capture_default_str();
      command.add_option("--part", o->part, "common, a, b or all")->capture_default_str();
      command.add_option("--fps", o->fps, "Frames per second of a GIF/MP4")
          ->check(number_in(0.1, 1000))
          ->capture_default_str();
    } else {
      command.add_option("--rows", o->rows, "Common code from --from to --to, top to bottom")
          ->check(number_in(1, 64))
          ->capture_default_str();
      command.add_option("--columns", o->columns, "Separate codes, left to right")
          ->check(number_in(1, 64))
          ->capture_default_str();
    }
  } else {
    command.add_option("--image", o->image)->required()->check(CLI::ExistingFile);
  }
  if (operation == "strength") transfer::add_strength_options(command, o->attribute, o->value);
  return [operation, o, &context, model] {
    check_run_output(o->out, transfer::run_inputs(model, o->image, o->from, o->onto, o->to));
    const DisentangleModel m = DisentangleModel::load(model, context.compute);
    if (operation == "transfer") {
      const Image from = load_image(o->from);
      const Attribute attribute = o->attribute.empty() ? m.dominant_attribute(from)
                                                       : transfer::parse_attribute(o->attribute);
      save_image(m.transfer(from, load_image(o->onto), attribute), o->out);
    } else if (operation == "remove") {
      save_image(m.remove(load_image(o->image)), o->out);
    } else if (operation == "reconstruct") {
      save_image(m.reconstruct(load_image(o->image)), o->out);
    } else if (operation == "strength") {
      save_image(
          m.strength(load_image(o->image), transfer::parse_attribute(o->attribute), o->value),
          o->out);
    } else if (operation == "interpolate") {
      write_sequence(m.interpolate(load_image(o->from), load_image(o->to), o->steps,
                                   transfer::parse_part(o->part)),
                     o->out, o->fps);
    } else if (operation == "grid") {
      save_image(make_grid(m.interpolation_grid(load_image(o->from), load_image(o->to), o->rows,
                                                o->columns),
                           o->columns),
                 o->out);
    }
    context.print_result({{"operation", operation}, {"out", o->out}},
                         [&] { std::printf("wrote %s\n", o->out.c_str()); });
    return kExitOk;
  };
}

}  // namespace

MethodCli disentangle_cli() {
  MethodCli cli;
  cli.id = "disentangle";
  cli.summary =
      "Domain intersection and difference: transfer, remove and blend attributes "
      "between two image sets";
  cli.add_train = [](CLI::App& command, Context& context, const TrainCommon& common) {
    return transfer::add_train(
        "disentangle", command, context, common,
        [](const Preset& p) { return DisentangleParams::from_preset(p).image_size; },
        [](const TransferImages& i, const Preset& p, const TrainOptions& o, const Callbacks& c) {
          return train_disentangle(i, p, o, c);
        });
  };
  cli.operations = {{"transfer", "--from X --onto Y [--attribute a|b]: X's attribute onto Y"},
                    {"remove", "--image X: both attributes removed"},
                    {"reconstruct", "--image X: the model's reconstruction"},
                    {"strength", "--image X --attribute a|b --value S: attribute scaled by S"},
                    {"interpolate", "--from X --to Y --steps N [--part common|a|b|all]"},
                    {"grid", "--from X --to Y: common codes down, separate codes across"}};
  cli.add_run = add_run;
  cli.add_eval = [](CLI::App& command, Context& context) {
    return transfer::add_eval("disentangle", command, context);
  };
  cli.add_bench = [](CLI::App& command, Context& context) {
    return transfer::add_bench("disentangle", command, context);
  };
  return cli;
}

}  // namespace atelier::cli
