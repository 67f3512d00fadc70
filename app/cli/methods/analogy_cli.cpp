// atelier-cli's analogy commands: train analogy --a F --b F, run MODEL a2b|b2a|sample|reconstruct|
// paint, eval analogy MODEL, bench analogy.
#include <cstdio>
#include <memory>
#include <tuple>

#include "atelier/analogy.h"
#include "atelier/error.h"
#include "methods/method_cli_support.h"
#include "methods/method_registry.h"
#include "option_checks.h"

namespace atelier::cli {
namespace {

Domain parse_domain(const std::string& text) {
  if (text == "a" || text == "A") return Domain::A;
  if (text == "b" || text == "B") return Domain::B;
  throw usage_error("domain '" + text + "' is not a or b");
}

struct TrainInputs {
  std::string a, b;
};

std::function<int()> add_train(CLI::App& command, Context& context, const TrainCommon& common) {
  auto in = std::make_shared<TrainInputs>();
  command.add_option("--a", in->a, "Image A")->required()->check(CLI::ExistingFile);
  command.add_option("--b", in->b, "Image B (the same size as A)")
      ->required()
      ->check(CLI::ExistingFile);
  return [in, &context, &common] {
    common.check_outputs({{"--a", in->a}, {"--b", in->b}});
    Preset preset = load_preset("analogy", common.preset);
    apply_overrides(preset, common.overrides);
    const Image a = load_image(in->a);
    const Image b = load_image(in->b);
    if (a.width != b.width || a.height != b.height) {
      throw bad_input("train analogy: " + in->a + " is " + std::to_string(a.width) + "x" +
                      std::to_string(a.height) + " but " + in->b + " is " +
                      std::to_string(b.width) + "x" + std::to_string(b.height) +
                      "; the pair must have one size (crop or resize one of them)");
    }
    const TrainResult result = train_analogy(a, b, preset, common.options(context),
                                             context.job_callbacks("analogy", common.preview_dir));
    return report_training(context, result);
  };
}

struct RunOptions {
  std::string out, domain = "a", to = "b", painting;
  int n = 1, inject = kModelInjection, start_scale = 0;
  std::uint64_t seed = 0;
};

std::function<int()> add_run(const std::string& operation, CLI::App& command, Context& context,
                             const std::string& model) {
  auto o = std::make_shared<RunOptions>();
  command.add_option("--out", o->out, "Output file (sample --n > 1: a grid image or a folder)")
      ->required();
  command.add_option("--seed", o->seed, "Noise seed")->check(seed_value())->capture_default_str();
  if (operation == "a2b" || operation == "b2a" || operation == "paint") {
    command
        .add_option("--inject", o->inject,
                    "Scale at which the source enters (0: coarsest, only its layout is kept; "
                    "default: the model's own level for the direction, chosen after training)")
        ->check(number_in(0, kMaxScaleOption));
  }
  if (operation == "sample" || operation == "reconstruct") {
    command.add_option("--domain", o->domain, "a or b")
        ->check(CLI::IsMember({"a", "b", "A", "B"}))
        ->capture_default_str();
  }
  if (operation == "sample") {
    command.add_option("--n", o->n, "Number of samples")
        ->check(number_in(1, kMaxImages))
        ->capture_default_str();
    command
        .add_option("--start-scale", o->start_scale,
                    "Scales below this follow the training image's reconstruction")
        ->check(number_in(0, kMaxScaleOption))
        ->capture_default_str();
  }
  if (operation == "paint") {
    command.add_option("--image", o->painting, "A painting or sketch")
        ->required()
        ->check(CLI::ExistingFile);
    command.add_option("--to", o->to, "Domain it is turned into: b (the painting plays a) or a")
        ->check(CLI::IsMember({"a", "b", "A", "B"}))
        ->capture_default_str();
  }
  return [operation, o, &context, model] {
    check_run_output(o->out, {{"MODEL", model}, {"--image", o->painting}});
    const AnalogyModel m = AnalogyModel::load(model, context.compute);
    AnalogyTranslateOptions translate;
    translate.inject = o->inject;
    translate.seed = o->seed;
    if (operation == "a2b") {
      save_image(m.translate(Domain::A, translate), o->out);
    } else if (operation == "b2a") {
      save_image(m.translate(Domain::B, translate), o->out);
    } else if (operation == "paint") {
      const Domain to = parse_domain(o->to);
      save_image(
          m.translate(load_image(o->painting), to == Domain::B ? Domain::A : Domain::B, translate),
          o->out);
    } else if (operation == "reconstruct") {
      save_image(m.reconstruct(parse_domain(o->domain)), o->out);
    } else if (operation == "sample") {
      const Domain d = parse_domain(o->domain);
      std::vector<Image> images;
      for (int i = 0; i < o->n; ++i) {
        images.push_back(m.sample(d, o->seed + static_cast<std::uint64_t>(i), o->start_scale));
      }
      write_images(images, o->out);
    }
    context.print_result({{"operation", operation}, {"out", o->out}},
                         [&] { std::printf("wrote %s\n", o->out.c_str()); });
    return kExitOk;
  };
}

nlohmann::json levels_json(const std::vector<AnalogyLevelScore>& levels) {
  nlohmann::json out = nlohmann::json::array();
  for (const AnalogyLevelScore& l : levels)
    out.push_back({{"inject", l.inject},
                   {"structure", l.structure},
                   {"swd_ratio", l.swd_ratio},
                   {"source_swd_ratio", l.source_swd_ratio}});
  return out;
}

void print_levels(const char* direction, const std::vector<AnalogyLevelScore>& levels, int chosen,
                  double baseline) {
  std::printf("  %s  level:     ", direction);
  for (const AnalogyLevelScore& l : levels)
    std::printf(" %6d%c", l.inject, l.inject == chosen ? '*' : ' ');
  std::printf("\n        structure: ");
  for (const AnalogyLevelScore& l : levels) std::printf(" %7.3f", l.structure);
  std::printf("  (target itself %.3f)\n        SWD ratio: ", baseline);
  for (const AnalogyLevelScore& l : levels) std::printf(" %7.2f", l.swd_ratio);
  std::printf("  (x the mirrored target)\n        to source: ");
  for (const AnalogyLevelScore& l : levels) std::printf(" %7.2f", l.source_swd_ratio);
  std::printf("  (x the mirrored source)\n");
}

struct EvalInputs {
  std::string model;
  AnalogyEvalOptions options;
};

std::function<int()> add_eval(CLI::App& command, Context& context) {
  auto in = std::make_shared<EvalInputs>();
  command.add_option("model", in->model, "Model file (.atl)")->required()->check(CLI::ExistingFile);
  command
      .add_option("--inject", in->options.inject,
                  "Injection scale of the translations (default: the model's own levels)")
      ->check(number_in(0, kMaxScaleOption));
  command.add_option("--samples", in->options.samples, "Samples per domain")
      ->check(number_in(2, kMaxImages))
      ->capture_default_str();
  command.add_option("--seed", in->options.seed)->check(seed_value())->capture_default_str();
  return [in, &context] {
    const AnalogyEvalResult r = evaluate_analogy(in->model, in->options, context.compute);
    context.print_result(
        {{"model", in->model},
         {"size", {r.width, r.height}},
         {"inject_ab", r.inject_ab},
         {"inject_ba", r.inject_ba},
         {"default_inject_ab", r.default_inject_ab},
         {"default_inject_ba", r.default_inject_ba},
         {"levels_ab", levels_json(r.levels_ab)},
         {"levels_ba", levels_json(r.levels_ba)},
         {"swd_ab", r.swd_ab},
         {"swd_b_mirrored", r.swd_b_mirrored},
         {"structure_ab", r.structure_ab},
         {"structure_b_vs_a", r.structure_b_vs_a},
         {"swd_ba", r.swd_ba},
         {"swd_a_mirrored", r.swd_a_mirrored},
         {"structure_ba", r.structure_ba},
         {"structure_a_vs_b", r.structure_a_vs_b},
         {"samples", r.samples},
         {"swd_samples_a", r.swd_samples_a},
         {"swd_samples_b", r.swd_samples_b},
         {"diversity_a", r.diversity_a},
         {"diversity_b", r.diversity_b},
         {"seconds", r.seconds}},
        [&] {
          std::printf("%dx%d (%.1f s); every injection level (* the model's default):\n", r.width,
                      r.height, r.seconds);
          print_levels("a->b", r.levels_ab, r.default_inject_ab, r.structure_b_vs_a);
          print_levels("b->a", r.levels_ba, r.default_inject_ba, r.structure_a_vs_b);
          std::printf("translations at a->b %d, b->a %d:\n", r.inject_ab, r.inject_ba);
          std::printf(
              "a->b: structure vs a %.3f (b itself: %.3f), patch SWD x1000 to b %.2f "
              "(mirrored b: %.2f)\n",
              r.structure_ab, r.structure_b_vs_a, 1000 * r.swd_ab, 1000 * r.swd_b_mirrored);
          std::printf(
              "b->a: structure vs b %.3f (a itself: %.3f), patch SWD x1000 to a %.2f "
              "(mirrored a: %.2f)\n",
              r.structure_ba, r.structure_a_vs_b, 1000 * r.swd_ba, 1000 * r.swd_a_mirrored);
          std::printf("%d samples per domain: diversity a %.3f, b %.3f; SWD x1000 a %.2f, b %.2f\n",
                      r.samples, r.diversity_a, r.diversity_b, 1000 * r.swd_samples_a,
                      1000 * r.swd_samples_b);
        });
    return kExitOk;
  };
}

struct BenchInputs {
  AnalogyBenchOptions options;
  std::string a, b, size;
};

std::function<int()> add_bench(CLI::App& command, Context& context) {
  auto in = std::make_shared<BenchInputs>();
  add_multiscale_bench_options(command, in->options, "scale");
  command.add_option("--a", in->a, "Image A (default: random)")->check(CLI::ExistingFile);
  command.add_option("--b", in->b, "Image B, with --a")->check(CLI::ExistingFile);
  command.add_option("--size", in->size, "WxH of the random pair (default: max_size square)");
  return [in, &context] {
    AnalogyBenchOptions options = in->options;
    options.compute = context.compute;
    if (!in->a.empty()) options.a = load_image(in->a);
    if (!in->b.empty()) options.b = load_image(in->b);
    if (!in->size.empty()) std::tie(options.width, options.height) = parse_size(in->size);
    const MultiScaleBenchResult r = bench_analogy(options);
    context.print_result(to_json(r), [&] { print_bench(r); });
    return kExitOk;
  };
}

}  // namespace

MethodCli analogy_cli() {
  MethodCli cli;
  cli.id = "analogy";
  cli.summary = "Structural analogy: the structure of one image with the patches of another";
  cli.add_train = add_train;
  cli.train_inputs = {"--a", "--b"};
  cli.operations = {{"a2b", "a's structure with b's patches (--inject K; default: the model's)"},
                    {"b2a", "b's structure with a's patches (--inject K; default: the model's)"},
                    {"sample", "random images of one domain (--domain a|b --n N)"},
                    {"reconstruct", "a training image as the model rebuilds it (--domain a|b)"},
                    {"paint", "a painting or sketch through the analogy (--image P --to b|a)"}};
  cli.add_run = add_run;
  cli.add_eval = add_eval;
  cli.add_bench = add_bench;
  cli.bench_multiscale = [](const MultiScaleBenchOptions& common) {
    AnalogyBenchOptions options;
    static_cast<MultiScaleBenchOptions&>(options) = common;
    return bench_analogy(options);
  };
  return cli;
}

}  // namespace atelier::cli
