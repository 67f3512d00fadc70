// atelier-cli's oneshot commands: train oneshot --b DIR (phase I) or --base MODEL --a-image F
// (phase II), run MODEL translate|reconstruct|cycle|a-image, eval oneshot, bench oneshot.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sstream>

#include "atelier/error.h"
#include "atelier/oneshot.h"
#include "methods/method_cli_support.h"
#include "methods/method_registry.h"
#include "option_checks.h"

namespace atelier::cli {
namespace {

struct TrainInputs {
  std::string b, base, a_image;
  DistributedCommon distributed;
};

// The B folder of a phase II or resumed training: --b, else the one the file recorded.
std::string b_folder_for(const std::string& given, const OneshotFileState& state,
                         const std::string& file) {
  if (!given.empty()) return given;
  if (state.b_folder.empty()) {
    throw usage_error(file + " records no B folder; give it with --b DIR");
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(state.b_folder, ec)) {
    throw bad_input(file + " was trained on the B folder " + state.b_folder +
                    ", which is not there any more; give it with --b DIR");
  }
  return state.b_folder;
}

std::function<int()> add_train(CLI::App& command, Context& context, const TrainCommon& common) {
  auto in = std::make_shared<TrainInputs>();
  command
      .add_option("--b", in->b,
                  "Folder of domain B images (phase I; phase II: default the "
                  "folder phase I was trained on)")
      ->check(CLI::ExistingDirectory);
  command.add_option("--base", in->base, "Phase II: the finished phase I model file")
      ->check(CLI::ExistingFile);
  command.add_option("--a-image", in->a_image, "Phase II: the single image of domain A")
      ->check(CLI::ExistingFile);
  in->distributed.add_to(command);
  return [in, &context, &common] {
    const DistributedOptions distributed = in->distributed.resolve();
    const bool root = distributed.rank == 0;  // rank 0 alone writes files and reports
    if (root)
      common.check_outputs({{"--b", in->b}, {"--base", in->base}, {"--a-image", in->a_image}});
    Preset preset = load_preset("oneshot", common.preset);
    apply_overrides(preset, common.overrides);
    const OneshotParams params = OneshotParams::from_preset(preset);
    OneshotInputs inputs;
    int size = params.image_size;
    bool phase_two_resume = false;
    if (!common.resume.empty()) {
      if (!in->base.empty() || !in->a_image.empty()) {
        throw usage_error(
            "--resume continues a file with its own base and A image; leave out "
            "--base and --a-image");
      }
      const OneshotFileState state = oneshot_file_state(common.resume);
      phase_two_resume = state.phase == 2;
      inputs.b_folder = b_folder_for(in->b, state, common.resume);
      size = state.image_size;
    } else if (!in->base.empty()) {
      if (in->a_image.empty()) throw usage_error("phase II (--base) needs --a-image FILE");
      const OneshotFileState state = oneshot_file_state(in->base);
      if (state.phase != 1) {
        throw bad_input(in->base + ": a phase II model; --base takes a phase I model");
      }
      if (!state.finished) {
        throw bad_input(in->base + ": an unfinished phase I model; finish it with --resume");
      }
      inputs.base = in->base;
      inputs.b_folder = b_folder_for(in->b, state, in->base);
      inputs.a = load_image(in->a_image);
      size = state.image_size;
    } else {
      if (!in->a_image.empty()) throw usage_error("--a-image belongs to phase II: add --base");
      if (in->b.empty()) {
        throw usage_error(
            "train oneshot needs --b DIR (phase I) or --base MODEL --a-image F "
            "(phase II)");
      }
      inputs.b_folder = in->b;
    }
    if (distributed.active() && (!inputs.base.empty() || phase_two_resume)) {
      throw usage_error("--world-size " + std::to_string(distributed.world_size) +
                        ": only phase I runs over several processes; phase II trains on one A "
                        "image in one");
    }
    inputs.b = load_oneshot_b_shard(inputs.b_folder, size, distributed.rank, distributed.world_size,
                                    inputs.b_total, warning_printer(context));
    inputs.b_folder = std::filesystem::absolute(inputs.b_folder).lexically_normal().string();
    const TrainOptions options = common.options(context, distributed);
    return train_as_rank(context, distributed, "oneshot", common.preview_dir,
                         [&](const Callbacks& callbacks) {
                           return train_oneshot(inputs, preset, options, callbacks);
                         });
  };
}

struct RunOptions {
  std::string out, image, from = "a", domain = "b";
};

OneshotDomain parse_domain(const std::string& text) {
  return text == "a" || text == "A" ? OneshotDomain::A : OneshotDomain::B;
}

std::function<int()> add_run(const std::string& operation, CLI::App& command, Context& context,
                             const std::string& model) {
  auto o = std::make_shared<RunOptions>();
  command.add_option("--out", o->out, "Output image")->required();
  if (operation != "a-image") {
    command.add_option("--image", o->image)->required()->check(CLI::ExistingFile);
  }
  if (operation == "translate") {
    command.add_option("--from", o->from, "a (A->B, the default) or b (B->A)")
        ->check(CLI::IsMember({"a", "b", "A", "B"}))
        ->capture_default_str();
  }
  if (operation == "reconstruct") {
    command.add_option("--domain", o->domain, "a or b: whose encoder and decoder")
        ->check(CLI::IsMember({"a", "b", "A", "B"}))
        ->capture_default_str();
  }
  return [operation, o, &context, model] {
    check_run_output(o->out, {{"MODEL", model}, {"--image", o->image}});
    const OneshotModel m = OneshotModel::load(model, context.compute);
    if (operation == "translate") {
      save_image(m.translate(load_image(o->image), parse_domain(o->from)), o->out);
    } else if (operation == "reconstruct") {
      save_image(m.reconstruct(load_image(o->image), parse_domain(o->domain)), o->out);
    } else if (operation == "cycle") {
      save_image(m.cycle(load_image(o->image)), o->out);
    } else if (operation == "a-image") {
      save_image(m.a_image(), o->out);
    }
    context.print_result({{"operation", operation}, {"out", o->out}},
                         [&] { std::printf("wrote %s\n", o->out.c_str()); });
    return kExitOk;
  };
}

struct EvalInputs {
  OneshotEvalOptions options;
  std::string variants = "full,no-selective,no-cycle,no-augment";
};

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream stream(text);
  for (std::string item; std::getline(stream, item, ',');) {
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

void print_eval(const OneshotEvalResult& r) {
  std::printf("digit classifier on B's own test digits: %.1f %% (chance 10 %%)\n",
              100 * r.classifier_accuracy);
  std::printf("the same classifier on the untranslated MNIST test digits: %.1f %%\n",
              100 * r.untranslated_accuracy);
  std::printf(
      "domain judge (MNIST or B?): right on %.1f %% of the MNIST test digits and %.1f %% "
      "of B's test images\n",
      100 * r.domain_judge_a_accuracy, 100 * r.domain_judge_b_accuracy);
  std::printf(
      "B's phase I autoencoder on the MNIST test digits (no A image): digit %.1f %%, taken "
      "for B %.1f %%\n",
      100 * r.b_autoencoder_accuracy, 100 * r.b_autoencoder_domain);
  std::printf("%d runs (single A images: MNIST training digits", r.runs);
  for (std::size_t i = 0; i < r.a_indices.size(); ++i) {
    std::printf("%s#%d=%d", i == 0 ? " " : ", ", r.a_indices[i], r.a_labels[i]);
  }
  std::printf("), %d MNIST test digits translated per run, %.0f s\n\n", r.test_digits, r.seconds);
  std::printf("%-14s %8s %7s %8s %8s %7s   %s\n", "variant", "digit %", "spread", "as B %",
              "both %", "spread", "per run: digit/as B %");
  for (const auto& v : r.variants) {
    std::printf("%-14s %8.1f %7.1f %8.1f %8.1f %7.1f  ", v.name.c_str(), 100 * v.mean,
                100 * v.spread, 100 * v.domain_mean, 100 * v.both_mean, 100 * v.both_spread);
    for (std::size_t i = 0; i < v.accuracy.size(); ++i) {
      std::printf(" %.0f/%.0f", 100 * v.accuracy[i], 100 * v.domain[i]);
    }
    std::printf("\n");
  }
  std::printf(
      "\ndigit: read as their true digit; as B: taken for B by the domain judge; both: "
      "the two at once\n");
}

std::function<int()> add_eval(CLI::App& command, Context& context) {
  auto in = std::make_shared<EvalInputs>();
  OneshotEvalOptions& o = in->options;
  command.add_option("base", o.base, "Finished phase I model trained on --b-train")
      ->required()
      ->check(CLI::ExistingFile);
  command
      .add_option("--b-train", o.b_train,
                  "Labelled MNIST-M style folder (make-dataset mnistm: train): the judge's "
                  "training set and phase II's B images")
      ->required()
      ->check(CLI::ExistingDirectory);
  command.add_option("--b-test", o.b_test, "Labelled test folder (the judge's own accuracy)")
      ->required()
      ->check(CLI::ExistingDirectory);
  command.add_option("--mnist", o.mnist, "MNIST IDX folder (default: <data>/digits/mnist)")
      ->check(CLI::ExistingDirectory);
  command.add_option("--preset", o.preset, "Phase II's preset")->capture_default_str();
  command.add_option("--set", o.overrides, "KEY=VALUE on that preset's params");
  command.add_option("--runs", o.runs, "Single A images, each its own phase II")
      ->check(number_in(1, kMaxImages))
      ->capture_default_str();
  command.add_option("--test-digits", o.test_digits, "MNIST test digits translated per run")
      ->check(number_in(1, 10000))
      ->capture_default_str();
  command.add_option("--classifier-steps", o.classifier_steps, "Training steps of the judge")
      ->check(number_in(1, 1e6))
      ->capture_default_str();
  command
      .add_option("--variants", in->variants,
                  "Comma-separated: full, no-selective, no-cycle, no-augment")
      ->capture_default_str();
  command.add_option("--seed", o.seed, "Seed of the A images and trainings")
      ->check(seed_value())
      ->capture_default_str();
  return [in, &context] {
    OneshotEvalOptions options = in->options;
    options.variants = split_list(in->variants);
    const OneshotEvalResult r = evaluate_oneshot(options, context.compute, warning_printer(context),
                                                 context.job_callbacks("eval oneshot"));
    nlohmann::json result = r.to_json();
    result["base"] = options.base;
    result["preset"] = options.preset;
    context.print_result(result, [&] { print_eval(r); });
    return kExitOk;
  };
}

std::function<int()> add_bench(CLI::App& command, Context& context) {
  auto o = std::make_shared<OneshotBenchOptions>();
  command.add_option("--preset", o->preset, "Preset whose networks are measured")
      ->capture_default_str();
  command.add_option("--steps", o->steps, "Timed training steps of each phase")
      ->check(number_in(1, 100000))
      ->capture_default_str();
  command.add_option("--repeats", o->repeats, "Timed translations of one image")
      ->check(number_in(1, 100000))
      ->capture_default_str();
  return [o, &context] {
    o->compute = context.compute;
    const OneshotBenchResult r = bench_oneshot(*o);
    context.print_result(
        {{"method", "oneshot"},
         {"preset", o->preset},
         {"device", r.device},
         {"threads", r.threads},
         {"network", r.network},
         {"image_size", r.image_size},
         {"batch", r.batch},
         {"a_batch", r.a_batch},
         {"base_step_ms", r.base_step_ms},
         {"translation_step_ms", r.translation_step_ms},
         {"translate_ms", r.translate_ms},
         {"base_minutes", r.base_minutes},
         {"translation_minutes", r.translation_minutes},
         {"peak_rss_mb", r.peak_rss_mb}},
        [&] {
          std::printf("oneshot %s (%s network, %d px) on %s, %d threads (medians)\n",
                      o->preset.c_str(), r.network.c_str(), r.image_size, r.device.c_str(),
                      r.threads);
          std::printf("phase I step, %d B images: %.1f ms (the preset's phase I: %.1f min)\n",
                      r.batch, r.base_step_ms, r.base_minutes);
          std::printf(
              "phase II step, %d B + %d A copies: %.1f ms (the preset's phase II: %.1f "
              "min)\n",
              r.batch, r.a_batch, r.translation_step_ms, r.translation_minutes);
          std::printf("one translation A->B: %.2f ms\n", r.translate_ms);
          std::printf("peak resident memory: %.0f MB\n", r.peak_rss_mb);
        });
    return kExitOk;
  };
}

}  // namespace

MethodCli oneshot_cli() {
  MethodCli cli;
  cli.id = "oneshot";
  cli.summary =
      "One-shot translation: phase I an autoencoder of B (--b DIR), phase II one A "
      "image (--base MODEL --a-image F)";
  cli.add_train = add_train;
  cli.operations = {{"translate", "--image X [--from a|b]: A->B (default) or B->A"},
                    {"reconstruct", "--image X [--domain a|b]: through one domain's autoencoder"},
                    {"cycle", "--image X: A->B->A"},
                    {"a-image", "the single A image the model was trained on"}};
  cli.add_run = add_run;
  cli.add_eval = add_eval;
  cli.add_bench = add_bench;
  return cli;
}

}  // namespace atelier::cli
