// atelier/padain.h — Permuted AdaIN (Nuriel, Benaim and Wolf, CVPR 2021) made visible: a digit and
// clothing classifier trained with and without the layer, and a robustness report that measures
// both on corrupted test images and, for digits, on other digit domains.
//
// The report trains, for each seed, a baseline (p = 0) and a model with the layer (p > 0) on the
// same images, then measures:
//   - clean accuracy on the test images;
//   - the error under 10 corruptions at 5 severities each (noise, blur, brightness, contrast,
//     haze, pixelation, JPEG), and from it the corruption error CE as ImageNet-C defines it
//     (Hendrycks and Dietterich, ICLR 2019): for corruption c,
//         CE_c(model) = sum_s E(model, c, s) / sum_s E(baseline, c, s)
//     where E is the top-1 error at severity s and the baseline's errors are its mean over the
//     seeds; mCE is the mean of CE_c over the corruptions (the baseline scores 1.0 on average);
//   - for MNIST, the accuracy on MNIST-M style digits (photo backgrounds) and on the OpenCV
//     digits sheet (another hand, another scanner): domain generalisation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "atelier/compute.h"
#include "atelier/image.h"
#include "atelier/job.h"
#include "atelier/preset.h"

namespace atelier {

// From models/padain/<size>.json. Every number has its range (see params.cpp).
struct PadainParams {
  // The network: a stem convolution, then `blocks` residual blocks of two 3x3 convolutions, each
  // followed by the Permuted AdaIN layer; block b has width << b channels and halves the
  // resolution (so that the last maps see the whole digit); global average pooling and a linear
  // layer.
  int width = 16;
  int blocks = 3;
  double p = 0.01;  // the layer's probability for the model "with the layer"
  // Training (Adam; the last 30 % of the steps at a tenth of the rate).
  int train_images = 20000;  // the first N of the training split; 0: all
  int epochs = 2;
  int batch = 64;
  double lr = 2e-3;
  double weight_decay = 1e-4;
  // Evaluation.
  int test_images = 1000;          // the first N of the test split; 0: all
  int cross_domain_images = 1000;  // per other domain (MNIST only)

  static PadainParams from_json(const nlohmann::json& params, const std::string& source);
  static PadainParams from_preset(const Preset& preset);
  nlohmann::json to_json() const;
};

// The labelled sets the classifier trains on. "mnistm" is a folder written by
// `make-dataset mnistm` (its train/ and test/ with labels.csv), given as `folder`.
enum class PadainDataset { Fashion, Mnist, Mnistm };
// "fashion", "mnist" or "mnistm"; Error(BadInput) naming the known ones otherwise.
PadainDataset padain_dataset_from_name(const std::string& name);
std::string padain_dataset_name(PadainDataset dataset);

// A labelled image set as plain images (grey or RGB, one size).
struct LabelledImages {
  std::vector<Image> images;
  std::vector<int> labels;
  std::string source;  // the file or folder it came from
};

// The training or test split of a dataset: from `data_dir`/digits/{mnist,fashion-mnist} for
// Fashion and Mnist, from `folder` for Mnistm. `max_images` 0: all. Error(BadInput) naming the
// file on any missing or damaged file.
LabelledImages load_padain_split(PadainDataset dataset, bool train, const std::string& data_dir,
                                 const std::string& folder = "", int max_images = 0);

// The corruption suite: 10 corruptions at severities 1 to 5, on 8-bit images, deterministic
// given the seed (the same noise pattern at every severity, so a higher severity only adds).
const std::vector<std::string>& padain_corruption_names();
constexpr int kPadainSeverities = 5;
// `name` is one of padain_corruption_names(); severity 1..5. Error(Usage) otherwise.
std::vector<Image> corrupt_images(const std::vector<Image>& images, const std::string& name,
                                  int severity, std::uint64_t seed);

// One classifier, trained with the layer's probability p (0: the baseline).
struct PadainClassifierResult {
  double train_seconds = 0;
  std::int64_t steps = 0;
  double final_loss = 0;
  double train_accuracy = 0;  // on the last epoch's batches, in training mode
  double test_accuracy = 0;   // on `test`, in eval mode
};
// Trains on `train` and measures on `test` (plain API for tests and quick looks; the report uses
// the same trainer). Error(Cancelled) when should_stop() asks.
PadainClassifierResult train_padain_classifier(const LabelledImages& train,
                                               const LabelledImages& test,
                                               const PadainParams& params, double p,
                                               std::uint64_t seed, const ComputeOptions& compute,
                                               const Callbacks& callbacks = {});

struct PadainReportOptions {
  static constexpr int kMaxSeeds = 100;  // seeds is in [1, kMaxSeeds]; p (when set) in [0, 1]

  PadainDataset dataset = PadainDataset::Fashion;
  std::string data_dir;       // empty: default_data_dir()
  std::string mnistm_folder;  // for PadainDataset::Mnistm
  PadainParams params;
  std::string preset;  // its name, for the report
  double p = -1;       // < 0: params.p
  int seeds = 3;
  std::uint64_t first_seed = 1;
  ComputeOptions compute;
  // Over several processes: every rank runs the report with the same options, trains on its
  // shard of the training images and measures its share of the test images; rank 0's callbacks
  // report progress, and every rank returns the same report.
  DistributedOptions distributed;
};

// A value over the seeds.
struct SeedStats {
  double mean = 0;
  double std = 0;  // sample standard deviation; 0 for one seed
  std::vector<double> values;
};

struct PadainModelReport {
  double p = 0;
  SeedStats clean_accuracy;
  SeedStats mean_corruption_error;          // error averaged over corruptions and severities (0..1)
  SeedStats mce;                            // mean CE, relative to the baseline (baseline: about 1)
  std::vector<SeedStats> corruption_error;  // per corruption: error averaged over severities
  std::vector<SeedStats> ce;                // per corruption: CE relative to the baseline
  // accuracy_by_severity[s]: s = 0 clean, 1..5 the mean over corruptions at that severity.
  std::vector<SeedStats> accuracy_by_severity;
  std::vector<std::string> cross_domain_names;  // MNIST: "mnist-m", "opencv-digits"
  std::vector<SeedStats> cross_domain_accuracy;
  SeedStats final_loss;      // the whole batch's training loss at the last step
  double train_seconds = 0;  // summed over seeds
};

struct PadainReport {
  std::string dataset;
  std::string preset;
  int seeds = 0;
  int train_images = 0;
  int test_images = 0;
  std::vector<std::string> corruptions;
  PadainModelReport baseline;    // p = 0
  PadainModelReport with_layer;  // p > 0
  double seconds = 0;
};

// Trains and measures everything above. Reads every input before the first training step, so
// bad input fails at once. Progress: phase "data", "corrupt", then "train" and "measure" per
// model, with scale = the model (1 to 2 x seeds; odd: the baseline, even: with the layer).
// Error(Cancelled) when should_stop() asks.
PadainReport run_padain_report(const PadainReportOptions& options, const Callbacks& callbacks = {});

nlohmann::json to_json(const PadainReport& report);

// The plot: accuracy per severity (0 = clean, 1..5 averaged over the corruptions) of both
// models, with the spread over seeds as bars. An RGB image.
Image plot_padain_report(const PadainReport& report, int width = 640, int height = 420);

}  // namespace atelier
