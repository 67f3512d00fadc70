// `eval padain`: the Permuted AdaIN robustness report. Trains a baseline and a model with the
// layer per seed, measures both on clean, corrupted and other-domain images, and prints a table
// (or --json), and with --plot draws accuracy per severity as a PNG. With --world-size (or a
// torchrun-style environment) the classifiers train data-parallel over processes.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "atelier/dataset.h"
#include "atelier/error.h"
#include "atelier/padain.h"
#include "methods/method_registry.h"
#include "option_checks.h"

namespace atelier::cli {
namespace {

namespace fs = std::filesystem;

struct ReportRequest {
  std::string dataset;
  std::string preset = "preview";
  std::vector<std::string> overrides;
  double p = -1;  // < 0: the preset's
  int seeds = 3;
  std::uint64_t seed = 1;
  std::string plot;
  std::string data_dir;
  std::string mnistm;
  DistributedCommon distributed;
};

std::string pct(const SeedStats& s) {
  char text[48];
  std::snprintf(text, sizeof text, "%5.1f +- %4.1f %%", 100 * s.mean, 100 * s.std);
  return text;
}

std::string ratio(const SeedStats& s) {
  char text[48];
  std::snprintf(text, sizeof text, "%5.1f +- %4.1f", 100 * s.mean, 100 * s.std);
  return text;
}

void row(const std::string& name, const std::string& a, const std::string& b) {
  std::printf("  %-28s %-20s %-20s\n", name.c_str(), a.c_str(), b.c_str());
}

void print_report(const PadainReport& r, const std::string& plot) {
  const PadainModelReport& base = r.baseline;
  const PadainModelReport& layer = r.with_layer;
  std::printf(
      "Permuted AdaIN report: %s, preset %s, %d seeds, %d training and %d test images, "
      "%.0f s\n",
      r.dataset.c_str(), r.preset.c_str(), r.seeds, r.train_images, r.test_images, r.seconds);
  char layer_title[48];
  std::snprintf(layer_title, sizeof layer_title, "PAdaIN (p = %g)", layer.p);
  row("", "baseline (p = 0)", layer_title);
  row("clean accuracy", pct(base.clean_accuracy), pct(layer.clean_accuracy));
  row("mean corruption error", pct(base.mean_corruption_error), pct(layer.mean_corruption_error));
  row("mCE (baseline = 100)", ratio(base.mce), ratio(layer.mce));
  std::printf("  per corruption: error over severities 1-5, then CE (baseline = 100)\n");
  for (std::size_t c = 0; c < r.corruptions.size(); ++c) {
    row("  " + r.corruptions[c] + " error", pct(base.corruption_error[c]),
        pct(layer.corruption_error[c]));
    row("  " + r.corruptions[c] + " CE", ratio(base.ce[c]), ratio(layer.ce[c]));
  }
  std::printf("  accuracy per severity (mean over the corruptions)\n");
  for (std::size_t s = 0; s < base.accuracy_by_severity.size(); ++s) {
    row(s == 0 ? "  clean" : "  severity " + std::to_string(s), pct(base.accuracy_by_severity[s]),
        pct(layer.accuracy_by_severity[s]));
  }
  if (!base.cross_domain_names.empty()) {
    std::printf("  cross-domain accuracy (trained on %s)\n", r.dataset.c_str());
    for (std::size_t d = 0; d < base.cross_domain_names.size(); ++d) {
      row("  " + base.cross_domain_names[d], pct(base.cross_domain_accuracy[d]),
          pct(layer.cross_domain_accuracy[d]));
    }
  }
  std::printf(
      "Means +- sample std over the seeds. CE_c = the model's error on corruption c summed over "
      "the 5 severities,\ndivided by the baseline's (its mean over the seeds), as ImageNet-C's "
      "CE; mCE = the mean of CE_c.\n");
  if (!plot.empty()) std::printf("plot: %s\n", plot.c_str());
  std::fflush(stdout);
}

// Before any work: the dataset is known, its files can be found where it needs them, --plot can
// be written. (The files themselves are read and checked by the report before it trains.)
PadainReportOptions check_request(const ReportRequest& in) {
  PadainReportOptions options;
  options.dataset = padain_dataset_from_name(in.dataset);
  if (options.dataset == PadainDataset::Mnistm && in.mnistm.empty())
    throw bad_input("--dataset mnistm needs --mnistm DIR (a folder of make-dataset mnistm)");
  options.data_dir = in.data_dir.empty() ? default_data_dir() : in.data_dir;
  std::error_code ec;
  if (!fs::is_directory(options.data_dir, ec))
    throw bad_input("--data " + options.data_dir + ": no such folder");
  if (options.dataset != PadainDataset::Mnistm && fs::is_empty(options.data_dir, ec))
    throw bad_input("--data " + options.data_dir +
                    ": the folder is empty; it must hold digits/mnist and digits/fashion-mnist "
                    "(IDX files), digits/opencv-digits.png and images/ (photos)");
  options.mnistm_folder = in.mnistm;
  options.distributed = in.distributed.resolve();
  // Rank 0 alone writes files.
  if (!in.plot.empty() && options.distributed.rank == 0) check_output_file("--plot", in.plot);
  Preset preset = load_preset("padain", in.preset);
  apply_overrides(preset, in.overrides);
  options.params = PadainParams::from_preset(preset);
  options.preset = preset.size.empty() ? in.preset : preset.size;
  options.p = in.p;
  options.seeds = in.seeds;
  options.first_seed = in.seed;
  return options;
}

std::function<int()> add_eval(CLI::App& command, Context& context) {
  auto in = std::make_shared<ReportRequest>();
  command.add_option("--dataset", in->dataset, "fashion, mnist, or mnistm (with --mnistm DIR)")
      ->required();
  command.add_option("--preset", in->preset, "tiny, preview, or a .json file")
      ->capture_default_str();
  command.add_option("--set", in->overrides, "Override a preset parameter: KEY=VALUE (repeatable)");
  command
      .add_option("--p", in->p,
                  "Permuted AdaIN probability of the model with the layer "
                  "(default: the preset's)")
      ->check(number_in(0, 1));
  command.add_option("--seeds", in->seeds, "Seeds per model (mean and spread)")
      ->check(number_in(1, PadainReportOptions::kMaxSeeds))
      ->capture_default_str();
  command.add_option("--seed", in->seed, "The first seed")
      ->check(seed_value())
      ->capture_default_str();
  command.add_option("--plot", in->plot, "Write the accuracy-per-severity plot here (PNG)");
  command.add_option("--data", in->data_dir,
                     "Folder with digits/ and images/ (default: $ATELIER_DATA_DIR or "
                     "../shared/data)");
  command.add_option("--mnistm", in->mnistm, "For --dataset mnistm: a make-dataset mnistm folder");
  in->distributed.add_to(command);
  return [in, &context] {
    PadainReportOptions options = check_request(*in);
    const DistributedOptions& world = options.distributed;
    options.compute = context.compute;
    options.compute.auto_cuda_device = world.local_rank;
    const PadainReport report =
        run_padain_report(options, rank_callbacks(context, world, "padain " + in->dataset));
    if (world.rank != 0) {
      if (!context.json)
        std::fprintf(stderr, "rank %d of %d: done\n", world.rank, world.world_size);
      return kExitOk;
    }
    if (!in->plot.empty()) save_image(plot_padain_report(report), in->plot);
    nlohmann::json result = to_json(report);
    if (!in->plot.empty()) result["plot"] = in->plot;
    context.print_result(result, [&] { print_report(report, in->plot); });
    return kExitOk;
  };
}

}  // namespace

MethodCli padain_cli() {
  MethodCli cli;
  cli.id = "padain";
  cli.summary = "Permuted AdaIN: a classifier with and without the layer, and its robustness";
  cli.add_eval = add_eval;
  cli.eval_summary =
      "The robustness report: trains a classifier with and without Permuted AdaIN here and tests "
      "both on corrupted pictures (no model file)";
  return cli;
}

}  // namespace atelier::cli
