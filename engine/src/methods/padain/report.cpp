// The robustness report: per seed, a baseline (p = 0) and a model with the layer, trained on the
// same images, measured on clean, corrupted and (for MNIST) other-domain test images.
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <memory>
#include <numeric>

#include "atelier/dataset.h"
#include "atelier/error.h"
#include "atelier/padain.h"
#include "core/data_parallel.h"
#include "core/progress_clock.h"
#include "methods/padain/corruptions.h"
#include "methods/padain/data.h"
#include "methods/padain/trainer.h"

namespace atelier {
namespace {

using padain::LabelledTensors;

// What one trained model scored; errors[c][s] for corruption c at severity s + 1.
struct Scores {
  double clean = 0;
  std::vector<std::vector<double>> errors;
  std::vector<double> cross_domain;
  double train_seconds = 0;
  double final_loss = 0;
};

struct Inputs {
  LabelledTensors train;
  LabelledTensors test;
  std::vector<torch::Tensor> corrupted;  // [c * severities + s]
  std::vector<std::string> domain_names;
  std::vector<LabelledTensors> domains;
};

void check_options(const PadainReportOptions& options, double p) {
  if (!(p >= 0 && p <= 1)) {
    throw bad_input("padain: p must lie in [0, 1], not " + std::to_string(p));
  }
  if (options.seeds < 1 || options.seeds > PadainReportOptions::kMaxSeeds) {
    throw bad_input("padain: seeds must be 1 to " + std::to_string(PadainReportOptions::kMaxSeeds) +
                    ", not " + std::to_string(options.seeds));
  }
}

// Every file is read here, before any training: bad input fails at once.
Inputs load_inputs(const PadainReportOptions& options, const std::string& data_dir) {
  const PadainParams& params = options.params;
  const LabelledImages train = load_padain_split(options.dataset, true, data_dir,
                                                 options.mnistm_folder, params.train_images);
  const LabelledImages test = load_padain_split(options.dataset, false, data_dir,
                                                options.mnistm_folder, params.test_images);
  const int channels = !train.images.empty() && train.images.front().channels >= 3 ? 3 : 1;
  Inputs in{padain::to_tensors(train, channels), padain::to_tensors(test, channels), {}, {}, {}};
  if (options.dataset == PadainDataset::Mnist) {
    in.domain_names = {"mnist-m", "opencv-digits"};
    in.domains.push_back(padain::to_tensors(
        padain::mnistm_style_digits(data_dir, params.cross_domain_images, options.first_seed),
        channels));
    in.domains.push_back(padain::to_tensors(
        padain::opencv_sheet_digits(data_dir, params.cross_domain_images), channels));
  }
  return in;
}

SeedStats stats_of(std::vector<double> values) {
  SeedStats s;
  s.mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  if (values.size() > 1) {
    double sum = 0;
    for (double v : values) sum += (v - s.mean) * (v - s.mean);
    s.std = std::sqrt(sum / static_cast<double>(values.size() - 1));
  }
  s.values = std::move(values);
  return s;
}

double mean_of(const std::vector<double>& values) {
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

// The per-seed scores of one model turned into the report's figures; `baseline_sums[c]` is the
// baseline's error at corruption c summed over severities (mean over seeds), the CE denominator.
PadainModelReport summarise(double p, const std::vector<Scores>& runs,
                            const std::vector<double>& baseline_sums,
                            const std::vector<std::string>& domain_names) {
  const std::size_t corruptions = baseline_sums.size();
  PadainModelReport r;
  r.p = p;
  std::vector<double> clean, mean_error, mce, final_loss;
  std::vector<std::vector<double>> error_c(corruptions), ce_c(corruptions);
  std::vector<std::vector<double>> by_severity(kPadainSeverities + 1);
  std::vector<std::vector<double>> domains(domain_names.size());
  for (const Scores& run : runs) {
    clean.push_back(run.clean);
    final_loss.push_back(run.final_loss);
    by_severity[0].push_back(run.clean);
    std::vector<double> all_errors, ces;
    for (std::size_t c = 0; c < corruptions; ++c) {
      const std::vector<double>& e = run.errors[c];
      error_c[c].push_back(mean_of(e));
      ce_c[c].push_back(std::accumulate(e.begin(), e.end(), 0.0) / baseline_sums[c]);
      ces.push_back(ce_c[c].back());
      all_errors.insert(all_errors.end(), e.begin(), e.end());
    }
    for (int s = 0; s < kPadainSeverities; ++s) {
      double sum = 0;
      for (std::size_t c = 0; c < corruptions; ++c)
        sum += run.errors[c][static_cast<std::size_t>(s)];
      by_severity[static_cast<std::size_t>(s) + 1].push_back(
          1 - sum / static_cast<double>(corruptions));
    }
    mean_error.push_back(mean_of(all_errors));
    mce.push_back(mean_of(ces));
    for (std::size_t d = 0; d < domains.size(); ++d) domains[d].push_back(run.cross_domain[d]);
    r.train_seconds += run.train_seconds;
  }
  r.clean_accuracy = stats_of(clean);
  r.final_loss = stats_of(final_loss);
  r.mean_corruption_error = stats_of(mean_error);
  r.mce = stats_of(mce);
  for (std::size_t c = 0; c < corruptions; ++c) {
    r.corruption_error.push_back(stats_of(error_c[c]));
    r.ce.push_back(stats_of(ce_c[c]));
  }
  for (auto& values : by_severity) r.accuracy_by_severity.push_back(stats_of(values));
  r.cross_domain_names = domain_names;
  for (auto& values : domains) r.cross_domain_accuracy.push_back(stats_of(values));
  return r;
}

nlohmann::json stats_json(const SeedStats& s) {
  return {{"mean", s.mean}, {"std", s.std}, {"values", s.values}};
}

nlohmann::json model_json(const PadainModelReport& m, const std::vector<std::string>& names) {
  nlohmann::json per_corruption = nlohmann::json::object();
  for (std::size_t c = 0; c < names.size(); ++c) {
    per_corruption[names[c]] = {{"error", stats_json(m.corruption_error[c])},
                                {"ce", stats_json(m.ce[c])}};
  }
  nlohmann::json by_severity = nlohmann::json::array();
  for (const SeedStats& s : m.accuracy_by_severity) by_severity.push_back(stats_json(s));
  nlohmann::json cross = nlohmann::json::object();
  for (std::size_t d = 0; d < m.cross_domain_names.size(); ++d)
    cross[m.cross_domain_names[d]] = stats_json(m.cross_domain_accuracy[d]);
  return {{"p", m.p},
          {"clean_accuracy", stats_json(m.clean_accuracy)},
          {"mean_corruption_error", stats_json(m.mean_corruption_error)},
          {"mce", stats_json(m.mce)},
          {"corruptions", per_corruption},
          {"accuracy_by_severity", by_severity},
          {"cross_domain_accuracy", cross},
          {"final_loss", stats_json(m.final_loss)},
          {"train_seconds", m.train_seconds}};
}

}  // namespace

PadainClassifierResult train_padain_classifier(const LabelledImages& train,
                                               const LabelledImages& test,
                                               const PadainParams& params, double p,
                                               std::uint64_t seed, const ComputeOptions& compute,
                                               const Callbacks& callbacks) {
  apply_compute_options(compute);
  const int channels = !train.images.empty() && train.images.front().channels >= 3 ? 3 : 1;
  const LabelledTensors train_set = padain::to_tensors(train, channels);
  const LabelledTensors test_set = padain::to_tensors(test, channels);
  ProgressClock clock({{"train", 0, padain::training_steps(params, train_set.size()), 1}});
  padain::TrainedClassifier trained = padain::train_classifier(
      train_set, params, p, seed, [&](std::int64_t done, std::int64_t, double loss) {
        callbacks.progress(clock.update(0, done, {{"loss", loss}}));
        if (callbacks.stop_requested()) throw cancelled("padain: training stopped");
      });
  PadainClassifierResult result;
  result.train_seconds = trained.seconds;
  result.steps = trained.steps;
  result.final_loss = trained.final_loss;
  result.train_accuracy = trained.train_accuracy;
  result.test_accuracy = padain::accuracy(trained.net, test_set.images, test_set.labels);
  return result;
}

PadainReport run_padain_report(const PadainReportOptions& options, const Callbacks& callbacks) {
  const auto start = std::chrono::steady_clock::now();
  const double p = options.p < 0 ? options.params.p : options.p;
  check_options(options, p);
  apply_compute_options(options.compute);
  const std::string data_dir = options.data_dir.empty() ? default_data_dir() : options.data_dir;
  const std::vector<std::string>& names = padain_corruption_names();
  check_distributed_options(options.distributed);
  // Over several processes every rank reads the inputs and makes the corrupted sets, trains on
  // its shard of the training set with the others, and measures its share of each test set; a
  // stop asked on any rank stops all of them at the same point (every check is an exchange).
  std::unique_ptr<DataParallel> parallel;
  const auto stop_check = [&] {
    if (parallel->any(callbacks.stop_requested()))
      throw cancelled("padain report: stopped; nothing written");
  };

  Progress loading;
  loading.phase = "data";
  callbacks.progress(loading);
  Inputs in = load_inputs(options, data_dir);
  parallel = std::make_unique<DataParallel>(options.distributed);
  const padain::TrainingShard train = padain::shard_of(in.train, *parallel);
  in.train = {};
  const bool parted = parallel->world_size() > 1;
  const PadainParams& params = options.params;
  const std::int64_t steps = padain::training_steps(params, train.total);
  const auto corruption_sets = static_cast<std::int64_t>(names.size()) * kPadainSeverities;
  const std::int64_t measured_sets =
      1 + corruption_sets + static_cast<std::int64_t>(in.domains.size());
  // Costs in images through the network: a training step is a batch forward and backward
  // (about three forwards); a measured set is the test images once.
  const double step_cost = 3.0 * std::min<std::int64_t>(params.batch, train.total);
  const auto test_cost = static_cast<double>(in.test.size());
  std::vector<ProgressClock::Stage> stages = {{"corrupt", 0, corruption_sets, test_cost / 4}};
  const int models = 2 * options.seeds;
  for (int m = 1; m <= models; ++m) {
    stages.push_back({"train", m, steps, step_cost});
    stages.push_back({"measure", m, measured_sets, test_cost});
  }
  ProgressClock clock(stages);

  for (std::size_t c = 0; c < names.size(); ++c) {
    for (int s = 1; s <= kPadainSeverities; ++s) {
      in.corrupted.push_back(padain::corrupt(in.test.images, names[c], s, options.first_seed));
      callbacks.progress(clock.update(0, static_cast<std::int64_t>(in.corrupted.size())));
      stop_check();
    }
  }

  std::vector<Scores> baseline_runs, layer_runs;
  std::size_t stage = 1;
  for (int k = 0; k < options.seeds; ++k) {
    const std::uint64_t seed = options.first_seed + static_cast<std::uint64_t>(k);
    for (const bool with_layer : {false, true}) {
      const double model_p = with_layer ? p : 0.0;
      const std::size_t train_stage = stage++, measure_stage = stage++;
      padain::TrainedClassifier trained = padain::train_classifier(
          train, params, model_p, seed, *parallel,
          [&](std::int64_t done, std::int64_t, double loss) {
            callbacks.progress(clock.update(train_stage, done, {{"loss", loss}, {"p", model_p}}));
            stop_check();
          });
      std::int64_t measured = 0;
      const auto measure = [&](const torch::Tensor& images, const torch::Tensor& labels) {
        // The ranks' shares of a set differ by one image, and so may their batch counts: over
        // several processes the stop is checked per set, when they meet.
        const double acc =
            padain::accuracy(trained.net, images, labels, *parallel,
                             parted ? std::function<void()>() : std::function<void()>(stop_check));
        if (parted) stop_check();
        callbacks.progress(clock.update(measure_stage, ++measured, {{"p", model_p}}));
        return acc;
      };
      Scores scores;
      scores.train_seconds = trained.seconds;
      scores.final_loss = trained.final_loss;
      scores.clean = measure(in.test.images, in.test.labels);
      for (std::size_t c = 0; c < names.size(); ++c) {
        std::vector<double> errors;
        for (int s = 0; s < kPadainSeverities; ++s) {
          errors.push_back(
              1 - measure(in.corrupted[c * kPadainSeverities + static_cast<std::size_t>(s)],
                          in.test.labels));
        }
        scores.errors.push_back(errors);
      }
      for (const LabelledTensors& domain : in.domains)
        scores.cross_domain.push_back(measure(domain.images, domain.labels));
      (with_layer ? layer_runs : baseline_runs).push_back(std::move(scores));
    }
  }

  // CE's denominator: the baseline's error summed over severities, its mean over the seeds; at
  // least half an image's error, so that a flawless baseline does not divide by zero.
  std::vector<double> baseline_sums(names.size(), 0.0);
  for (std::size_t c = 0; c < names.size(); ++c) {
    for (const Scores& run : baseline_runs)
      baseline_sums[c] += std::accumulate(run.errors[c].begin(), run.errors[c].end(), 0.0);
    baseline_sums[c] = std::max(baseline_sums[c] / static_cast<double>(baseline_runs.size()),
                                0.5 / static_cast<double>(in.test.size()));
  }

  PadainReport report;
  report.dataset = padain_dataset_name(options.dataset);
  report.preset = options.preset;
  report.seeds = options.seeds;
  report.train_images = static_cast<int>(train.total);
  report.test_images = static_cast<int>(in.test.size());
  report.corruptions = names;
  report.baseline = summarise(0.0, baseline_runs, baseline_sums, in.domain_names);
  report.with_layer = summarise(p, layer_runs, baseline_sums, in.domain_names);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

nlohmann::json to_json(const PadainReport& report) {
  return {{"dataset", report.dataset},
          {"preset", report.preset},
          {"seeds", report.seeds},
          {"train_images", report.train_images},
          {"test_images", report.test_images},
          {"severities", kPadainSeverities},
          {"corruptions", report.corruptions},
          {"ce_definition",
           "CE_c = sum over severities of the model's error on corruption c / the same sum for "
           "the baseline (p = 0, mean over seeds), as ImageNet-C's CE; mce = mean of CE_c over "
           "the corruptions; mean_corruption_error = error averaged over corruptions and "
           "severities"},
          {"baseline", model_json(report.baseline, report.corruptions)},
          {"padain", model_json(report.with_layer, report.corruptions)},
          {"seconds", report.seconds}};
}

}  // namespace atelier
