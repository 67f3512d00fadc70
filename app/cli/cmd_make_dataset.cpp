#include <cstdio>

#include "atelier/dataset.h"
#include "commands.h"
#include "option_checks.h"

namespace atelier::cli {
namespace {

nlohmann::json to_json(const DatasetSummary& summary) {
  return {{"out", summary.out},
          {"train", summary.train},
          {"test", summary.test},
          {"folders", summary.folders}};
}

}  // namespace

void add_make_dataset_command(CLI::App& app, Context& context, Action& action) {
  auto* command = app.add_subcommand(
      "make-dataset", "Build a synthetic dataset with known truth from real media");
  command->require_subcommand(1);

  static CompositeOptions composite;
  auto* c = command->add_subcommand(
      "composite", "Two domains: MNIST digits (A) and Fashion-MNIST items (B) on photo crops");
  c->add_option("--out", composite.out, "Output folder")->required();
  c->add_option("--n", composite.n, "Training images per domain")
      ->check(number_in(1, 1000000))
      ->capture_default_str();
  c->add_option("--size", composite.size, "Image size in pixels")
      ->check(number_in(8, 1024))
      ->capture_default_str();
  c->add_option("--backgrounds", composite.backgrounds, "Folder of photos for the backgrounds");
  c->add_option("--data", composite.data_dir, "Shared media folder (MNIST, Fashion-MNIST)");
  c->add_option("--seed", composite.seed)->check(seed_value())->capture_default_str();
  c->add_option("--contrast", composite.contrast,
                "How digits and items stand out: high (vivid tints), mixed (any colour, half light "
                "and half dark) or low (close to the photo's own colour)")
      ->check(CLI::IsMember({"high", "mixed", "low"}))
      ->capture_default_str();
  c->add_option("--min-cover", composite.min_cover,
                "Smallest side of a digit or item, as a fraction of the image side")
      ->check(number_in(0.05, 1.0))
      ->capture_default_str();
  c->add_option("--max-cover", composite.max_cover, "Largest side, as a fraction")
      ->check(number_in(0.05, 1.0))
      ->capture_default_str();
  context.add_json_flag(*c);
  action_for(c, action, [&context] {
    check_output_folder("--out", composite.out, {{"--backgrounds", composite.backgrounds}});
    const DatasetSummary summary = make_composite_dataset(composite);
    context.print_result(to_json(summary), [&] {
      std::printf("composite set: %d train + %d test per domain in %s\n", summary.train,
                  summary.test, summary.out.c_str());
    });
    return kExitOk;
  });

  static MnistmOptions mnistm;
  auto* m = command->add_subcommand("mnistm", "MNIST digits blended with real photo crops");
  m->add_option("--out", mnistm.out, "Output folder")->required();
  m->add_option("--n", mnistm.n, "Training images")
      ->check(number_in(1, 1000000))
      ->capture_default_str();
  m->add_option("--size", mnistm.size, "Image size in pixels")
      ->check(number_in(8, 1024))
      ->capture_default_str();
  m->add_option("--backgrounds", mnistm.backgrounds, "Folder of photos for the backgrounds");
  m->add_option("--data", mnistm.data_dir, "Shared media folder (MNIST)");
  m->add_option("--seed", mnistm.seed)->check(seed_value())->capture_default_str();
  context.add_json_flag(*m);
  action_for(m, action, [&context] {
    check_output_folder("--out", mnistm.out, {{"--backgrounds", mnistm.backgrounds}});
    const DatasetSummary summary = make_mnistm_dataset(mnistm);
    context.print_result(to_json(summary), [&] {
      std::printf("MNIST-M style set: %d train + %d test in %s\n", summary.train, summary.test,
                  summary.out.c_str());
    });
    return kExitOk;
  });
}

}  // namespace atelier::cli
