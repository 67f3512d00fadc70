// evaluate_oneshot: MNIST (one image of A) to MNIST-M style digits (B), judged by a digit
// classifier trained on B's own labels (the share of translated MNIST test digits it reads as
// their true digit) and by a domain judge that tells MNIST digits from B's images (the share it
// takes for B), per single A image, for the full method and its ablations.
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

#include "atelier/error.h"
#include "core/bench_util.h"
#include "core/device.h"
#include "core/guard.h"
#include "core/log.h"
#include "core/tensor_image.h"
#include "io/synthetic_set.h"
#include "methods/oneshot/digit_classifier.h"
#include "methods/oneshot/labelled_folder.h"
#include "methods/oneshot/trainer.h"

namespace atelier {
namespace {

using oneshot::Domain;

constexpr double kClassifierStepCost = 0.1;  // of a phase II step, for the ETA
constexpr int kReportEvery = 10;
constexpr std::int64_t kChunk = 128;
constexpr std::int64_t kDomainB = 1;  // the domain judge's class of B's images

const std::set<std::string> kVariants = {"full", "no-selective", "no-cycle", "no-augment"};

OneshotParams variant_params(OneshotParams p, const std::string& variant) {
  if (variant == "no-selective") p.selective = false;
  if (variant == "no-cycle") p.cycle_weight = 0;
  if (variant == "no-augment") p.augment = false;
  return p;
}

struct Labelled {
  torch::Tensor images;  // float N x 3 x S x S
  torch::Tensor labels;  // int64 N
};

Labelled as_tensors(const std::vector<Image>& images, const std::vector<int>& labels,
                    const torch::Device& device) {
  std::vector<std::int64_t> wide(labels.begin(), labels.end());
  return {images_to_tensor(images, device), torch::tensor(wide, torch::kLong).to(device)};
}

Image mnist_digit(const io::synth::DigitSource& source, int index, int size) {
  return resize_image(to_rgb(source.item(index)), size, size);
}

void check_options(const OneshotEvalOptions& o) {
  if (o.runs < 1 || o.runs > 1000) throw usage_error("eval oneshot: runs must be 1 to 1000");
  if (o.test_digits < 1) throw usage_error("eval oneshot: test_digits must be at least 1");
  if (o.classifier_steps < 1) throw usage_error("eval oneshot: classifier_steps must be >= 1");
  if (o.variants.empty()) throw usage_error("eval oneshot: no variants to evaluate");
  for (const std::string& v : o.variants) {
    if (!kVariants.count(v)) {
      throw usage_error("eval oneshot: unknown variant '" + v +
                        "' (full, no-selective, no-cycle, no-augment)");
    }
  }
}

double mean_of(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x;
  return v.empty() ? 0 : sum / double(v.size());
}

double spread_of(const std::vector<double>& v) {
  if (v.size() < 2) return 0;
  const double m = mean_of(v);
  double sum = 0;
  for (double x : v) sum += (x - m) * (x - m);
  return std::sqrt(sum / double(v.size() - 1));
}

// What the judges say of images made from the test digits by `make`.
struct Shares {
  double digit = 0;   // read as their true digit
  double domain = 0;  // taken for B
  double both = 0;
};

Shares judged_shares(const std::function<torch::Tensor(const torch::Tensor&)>& make,
                     oneshot::DigitClassifier& digits, oneshot::DigitClassifier& domain,
                     const Labelled& test) {
  torch::NoGradGuard no_grad;
  std::int64_t digit = 0, as_b = 0, both = 0;
  for (std::int64_t i = 0; i < test.images.size(0); i += kChunk) {
    const std::int64_t n = std::min(kChunk, test.images.size(0) - i);
    const torch::Tensor made = make(test.images.narrow(0, i, n));
    const torch::Tensor right = digits->forward(made).argmax(1) == test.labels.narrow(0, i, n);
    const torch::Tensor looks_b = domain->forward(made).argmax(1) == kDomainB;
    digit += right.sum().item<std::int64_t>();
    as_b += looks_b.sum().item<std::int64_t>();
    both += right.logical_and(looks_b).sum().item<std::int64_t>();
  }
  const double count = double(test.images.size(0));
  return {double(digit) / count, double(as_b) / count, double(both) / count};
}

// The domain judge: MNIST training digits (class 0) against B's training images (class 1).
oneshot::DigitClassifier train_domain_judge(const io::synth::DigitSource& mnist_train,
                                            const torch::Tensor& b_images, int size, int steps,
                                            std::uint64_t seed,
                                            const std::function<void(int)>& after_step) {
  const std::int64_t n = std::min<std::int64_t>(b_images.size(0), mnist_train.count());
  std::vector<Image> a_images;
  for (int i = 0; i < n; ++i) a_images.push_back(mnist_digit(mnist_train, i, size));
  const torch::Tensor images =
      torch::cat({images_to_tensor(a_images, b_images.device()), b_images.narrow(0, 0, n)});
  const torch::Tensor labels =
      torch::cat({torch::zeros({n}, torch::kLong), torch::ones({n}, torch::kLong)})
          .to(b_images.device());
  return oneshot::train_digit_classifier(images, labels, steps, seed, after_step, 2);
}

double domain_accuracy(oneshot::DigitClassifier& judge, const torch::Tensor& images,
                       std::int64_t label) {
  return oneshot::digit_accuracy(
      judge, images,
      torch::full({images.size(0)}, label,
                  torch::TensorOptions(torch::kLong).device(images.device())));
}

}  // namespace

nlohmann::json OneshotEvalResult::to_json() const {
  nlohmann::json variants_json = nlohmann::json::array();
  for (const Variant& v : variants) {
    variants_json.push_back({{"name", v.name},
                             {"accuracy", v.accuracy},
                             {"mean", v.mean},
                             {"spread", v.spread},
                             {"domain", v.domain},
                             {"domain_mean", v.domain_mean},
                             {"both", v.both},
                             {"both_mean", v.both_mean},
                             {"both_spread", v.both_spread},
                             {"seconds", v.seconds}});
  }
  return {{"classifier_accuracy", classifier_accuracy},
          {"untranslated_accuracy", untranslated_accuracy},
          {"domain_judge_a_accuracy", domain_judge_a_accuracy},
          {"domain_judge_b_accuracy", domain_judge_b_accuracy},
          {"b_autoencoder_accuracy", b_autoencoder_accuracy},
          {"b_autoencoder_domain", b_autoencoder_domain},
          {"runs", runs},
          {"test_digits", test_digits},
          {"a_indices", a_indices},
          {"a_labels", a_labels},
          {"chance", 0.1},
          {"variants", variants_json},
          {"seconds", seconds}};
}

OneshotEvalResult evaluate_oneshot(const OneshotEvalOptions& options, const ComputeOptions& compute,
                                   const WarningSink& warn, const Callbacks& callbacks) {
  return guarded("evaluating oneshot", [&] {
    check_options(options);
    const double start = monotonic_s();
    const torch::Device device = prepare_compute(compute, options.seed);
    const RawModelArchive base = read_raw_model_archive(options.base, oneshot::kMethod);
    const int size = oneshot::stored_params(base).image_size;
    Preset preset = load_preset("oneshot", options.preset);
    apply_overrides(preset, options.overrides);
    const OneshotParams phase_two = OneshotParams::from_preset(preset);

    // The data: B's labelled sets, MNIST's training digits (the single A images) and test digits.
    const oneshot::LabelledImages b_train = oneshot::load_labelled_digits(options.b_train, size);
    const oneshot::LabelledImages b_test = oneshot::load_labelled_digits(options.b_test, size);
    const std::string mnist_dir =
        options.mnist.empty() ? default_data_dir() + "/digits/mnist" : options.mnist;
    const io::synth::DigitSplits mnist = io::synth::load_digit_splits(mnist_dir);
    const int test_n = std::min(options.test_digits, mnist.test.count());
    std::vector<Image> test_images;
    std::vector<int> test_labels;
    for (int i = 0; i < test_n; ++i) {
      test_images.push_back(mnist_digit(mnist.test, i, size));
      test_labels.push_back(mnist.test.label(i));
    }
    const Labelled test = as_tensors(test_images, test_labels, device);

    OneshotEvalResult result;
    result.runs = options.runs;
    result.test_digits = test_n;
    io::synth::Rng rng(options.seed);
    for (int r = 0; r < options.runs; ++r) {
      result.a_indices.push_back(rng.integer(0, mnist.train.count() - 1));
      result.a_labels.push_back(mnist.train.label(result.a_indices.back()));
    }

    std::vector<ProgressClock::Stage> stages = {
        {"classifier", 0, options.classifier_steps, kClassifierStepCost},
        {"domain judge", 0, options.classifier_steps, kClassifierStepCost}};
    for (const std::string& v : options.variants) {
      for (int r = 1; r <= options.runs; ++r) {
        stages.push_back({v + " run " + std::to_string(r) + "/" + std::to_string(options.runs), 0,
                          phase_two.translation_steps, 1.0});
      }
    }
    ProgressClock clock(stages);
    auto stop_point = [&](std::size_t stage, int step) {
      if (callbacks.stop_requested()) throw cancelled("eval oneshot: stopped");
      if (step % kReportEvery == 0) callbacks.progress(clock.update(stage, step));
    };

    // The judge: B's own labels, checked on B's test images.
    const Labelled judge_train = as_tensors(b_train.images, b_train.labels, device);
    oneshot::DigitClassifier judge = oneshot::train_digit_classifier(
        judge_train.images, judge_train.labels, options.classifier_steps, options.seed,
        [&](int step) { stop_point(0, step); });
    const Labelled judge_test = as_tensors(b_test.images, b_test.labels, device);
    result.classifier_accuracy =
        oneshot::digit_accuracy(judge, judge_test.images, judge_test.labels);
    result.untranslated_accuracy = oneshot::digit_accuracy(judge, test.images, test.labels);
    log::info(
        "eval oneshot: the digit classifier reads {:.1f} % of B's test digits and "
        "{:.1f} % of the untranslated MNIST test digits",
        100 * result.classifier_accuracy, 100 * result.untranslated_accuracy);
    if (warn && result.classifier_accuracy < 0.8) {
      warn("the digit classifier reads only " +
           std::to_string(int(std::lround(100 * result.classifier_accuracy))) +
           " % of B's own test digits; its verdicts on translations mean little");
    }

    oneshot::DigitClassifier domain_judge =
        train_domain_judge(mnist.train, judge_train.images, size, options.classifier_steps,
                           options.seed, [&](int step) { stop_point(1, step); });
    result.domain_judge_a_accuracy = domain_accuracy(domain_judge, test.images, 1 - kDomainB);
    result.domain_judge_b_accuracy = domain_accuracy(domain_judge, judge_test.images, kDomainB);
    log::info(
        "eval oneshot: the domain judge tells {:.1f} % of the MNIST test digits and {:.1f} % of "
        "B's test images apart",
        100 * result.domain_judge_a_accuracy, 100 * result.domain_judge_b_accuracy);

    std::size_t stage = 2;
    const Callbacks quiet;
    bool baseline_done = false;
    for (const std::string& name : options.variants) {
      OneshotEvalResult::Variant variant;
      variant.name = name;
      const double variant_start = monotonic_s();
      const OneshotParams params = variant_params(phase_two, name);
      for (int r = 0; r < options.runs; ++r, ++stage) {
        oneshot::Trainer trainer(params, preset.size, TrainOptions{}, quiet);
        seed_everything(options.seed + static_cast<std::uint64_t>(r));
        trainer.start_translation(base, mnist_digit(mnist.train, result.a_indices[r], size),
                                  device);
        trainer.set_b_images(b_train.images);
        oneshot::OneshotNets& nets = trainer.nets();
        if (!baseline_done) {
          nets->eval();
          const Shares baseline = judged_shares(
              [&](const torch::Tensor& x) {
                return nets->decode(nets->encode(x, Domain::B), Domain::B);
              },
              judge, domain_judge, test);
          result.b_autoencoder_accuracy = baseline.digit;
          result.b_autoencoder_domain = baseline.domain;
          baseline_done = true;
        }
        for (int step = 1; step <= trainer.phase_steps(); ++step) {
          adapt_threads();
          trainer.draw_and_step();
          stop_point(stage, step);
        }
        nets->eval();
        const Shares shares =
            judged_shares([&](const torch::Tensor& x) { return nets->translate(x, Domain::A); },
                          judge, domain_judge, test);
        variant.accuracy.push_back(shares.digit);
        variant.domain.push_back(shares.domain);
        variant.both.push_back(shares.both);
        log::info("eval oneshot: {} run {} (A digit {}): digit {:.1f} %, taken for B {:.1f} %",
                  name, r + 1, result.a_labels[r], 100 * shares.digit, 100 * shares.domain);
      }
      variant.mean = mean_of(variant.accuracy);
      variant.spread = spread_of(variant.accuracy);
      variant.domain_mean = mean_of(variant.domain);
      variant.both_mean = mean_of(variant.both);
      variant.both_spread = spread_of(variant.both);
      variant.seconds = monotonic_s() - variant_start;
      result.variants.push_back(std::move(variant));
    }
    result.seconds = monotonic_s() - start;
    return result;
  });
}

}  // namespace atelier
