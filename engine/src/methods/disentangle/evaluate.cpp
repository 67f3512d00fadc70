// evaluate_transfer_model: reconstruction, the domain classifier's verdict on transfers (both
// directions), and on a composite set the PSNR of removals and transfers against the truth.
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <functional>
#include <tuple>

#include "atelier/compute.h"
#include "atelier/error.h"
#include "atelier/json_text.h"
#include "atelier/metrics.h"
#include "core/guard.h"
#include "core/progress_clock.h"
#include "core/tensor_image.h"
#include "io/atomic_file.h"
#include "methods/disentangle/classifier.h"
#include "methods/disentangle/data.h"
#include "methods/disentangle/loaded.h"
#include "methods/disentangle/stored_params.h"

namespace atelier {
namespace {

using disentangle::Codes;

constexpr std::int64_t kChunk = 32;
constexpr double kPsnrCap = 100;
constexpr int kMaxJudgeImages = 4000;  // identical images count as 100 dB in means
// The judge's steps between progress reports, and the cost of a chunk of pairs in judge steps
// for the ETA (measured at 64 px: a chunk took 0.98 s, a judge step 48 ms).
constexpr int kJudgeReportEvery = 10;
constexpr double kChunkCostInJudgeSteps = 20;

double capped_psnr(const Image& x, const Image& y) {
  return std::min(kPsnrCap, psnr(x, y));
}

double mean_l1(const Image& x, const Image& y) {
  double sum = 0;
  for (std::size_t i = 0; i < x.pixels.size(); ++i) sum += std::abs(x.pixels[i] - y.pixels[i]);
  return sum / (255.0 * x.pixels.size());
}

struct Outputs {
  std::vector<Image> rec_a, rec_b, ab, ba, rem_a, rem_b;
  torch::Tensor ab_tensor, ba_tensor;
};

// `after_chunk` gets the number of chunks done.
Outputs run_pairs(const disentangle::Loaded& m, const torch::Tensor& a, const torch::Tensor& b,
                  double threshold, const std::function<void(std::int64_t)>& after_chunk) {
  torch::NoGradGuard no_grad;
  const auto ops = m.ops();
  Outputs out;
  std::vector<torch::Tensor> ab, ba;
  auto append = [](std::vector<Image>& to, const torch::Tensor& batch) {
    for (Image& image : tensor_to_images(batch)) to.push_back(std::move(image));
  };
  for (std::int64_t i = 0; i < a.size(0); i += kChunk) {
    const auto n = std::min(kChunk, a.size(0) - i);
    const torch::Tensor x = a.narrow(0, i, n).to(m.device);
    const torch::Tensor y = b.narrow(0, i, n).to(m.device);
    const Codes cx = ops.encode(x), cy = ops.encode(y);
    append(out.rec_a, ops.reconstruct(x, cx));
    append(out.rec_b, ops.reconstruct(y, cy));
    ab.push_back(ops.transfer(cx, y, cy, Attribute::A));
    ba.push_back(ops.transfer(cy, x, cx, Attribute::B));
    append(out.ab, ab.back());
    append(out.ba, ba.back());
    append(out.rem_a, ops.remove(x, cx, threshold));
    append(out.rem_b, ops.remove(y, cy, threshold));
    after_chunk(i / kChunk + 1);
  }
  out.ab_tensor = torch::cat(ab);
  out.ba_tensor = torch::cat(ba);
  return out;
}

std::string file_name(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

// truth/<folder>/<names[i]> for every name, fitted to the model's size.
std::vector<Image> load_truth(const std::vector<std::string>& names, const std::string& truth,
                              const std::string& folder, int size) {
  std::vector<Image> images;
  for (const std::string& name : names) {
    const std::string path = truth + "/" + folder + "/" + name;
    if (!std::filesystem::exists(path)) {
      throw bad_input(path +
                      ": truth image missing (expected a composite set's test/truth "
                      "folder with " +
                      folder + "/)");
    }
    images.push_back(disentangle::fit_image(load_image(path), size));
  }
  return images;
}

// Images as the model's input batch: N x 3 x size x size in [-1, 1] on its device.
torch::Tensor as_batch(const std::vector<Image>& images, const disentangle::Loaded& m) {
  return bytes_to_float(disentangle::images_to_bytes(images, m.size), m.device);
}

double mean_psnr(const std::vector<Image>& images, const std::vector<Image>& truth) {
  double sum = 0;
  for (std::size_t i = 0; i < images.size(); ++i) sum += capped_psnr(images[i], truth[i]);
  return images.empty() ? 0 : sum / images.size();
}

// The first pairs at a glance (sheet.png): per row a, b, a's attribute onto b, b's onto a, and
// both removals, at twice the model's size.
constexpr int kSheetRows = 16;
constexpr int kSheetZoom = 2;

// Writes the evaluated pictures under `dir` (a new or empty folder) with the judge's verdicts, so
// a person can look at the transfers the measure counts as misses.
void save_outputs(const std::string& dir, const std::vector<Image>& a, const std::vector<Image>& b,
                  const Outputs& out, const std::vector<std::string>& names_a,
                  const std::vector<std::string>& names_b, const torch::Tensor& ab_p_a,
                  const torch::Tensor& ba_p_a) {
  namespace fs = std::filesystem;
  auto write = [&](const std::vector<Image>& images, const std::vector<std::string>& names,
                   const std::string& folder) {
    fs::create_directories(dir + "/" + folder);
    for (std::size_t i = 0; i < images.size(); ++i) {
      save_image(images[i], dir + "/" + folder + "/" + names[i]);
    }
  };
  write(out.ab, names_b, "a_onto_b");
  write(out.ba, names_a, "b_onto_a");
  write(out.rem_a, names_a, "removal_A");
  write(out.rem_b, names_b, "removal_B");
  std::vector<Image> cells;
  for (std::size_t i = 0; i < std::min<std::size_t>(a.size(), kSheetRows); ++i) {
    for (const Image* cell : {&a[i], &b[i], &out.ab[i], &out.ba[i], &out.rem_a[i], &out.rem_b[i]})
      cells.push_back(resize_image(*cell, kSheetZoom * cell->width, kSheetZoom * cell->height));
  }
  save_image(make_grid(cells, 6), dir + "/sheet.png");
  nlohmann::json verdicts = {{"a_onto_b", nlohmann::json::object()},
                             {"b_onto_a", nlohmann::json::object()}};
  for (std::size_t i = 0; i < names_b.size(); ++i) {
    verdicts["a_onto_b"][names_b[i]] = ab_p_a[i].item<double>();
    verdicts["b_onto_a"][names_a[i]] = ba_p_a[i].item<double>();
  }
  nlohmann::json j = {{"p_a", verdicts},
                      {"note",
                       "the judge's probability that each transfer is an A image; "
                       "a onto b should be near 1, b onto a near 0"}};
  const std::string text = json_text(j, 2) + "\n";
  io::write_file_atomically(dir + "/verdicts.json",
                            std::vector<std::uint8_t>(text.begin(), text.end()));
}

}  // namespace

nlohmann::json TransferEvalResult::to_json() const {
  nlohmann::json j = {{"pairs", pairs},
                      {"rec_l1_a", rec_l1_a},
                      {"rec_l1_b", rec_l1_b},
                      {"rec_psnr_a", rec_psnr_a},
                      {"rec_psnr_b", rec_psnr_b},
                      {"classifier_accuracy", classifier_accuracy},
                      {"a_to_b_classified_a", a_to_b_as_a},
                      {"b_to_a_classified_b", b_to_a_as_b},
                      {"seconds", seconds}};
  if (has_truth) {
    j["removal_psnr_a"] = removal_psnr_a;
    j["removal_psnr_b"] = removal_psnr_b;
    j["transfer_psnr_ab"] = transfer_psnr_ab;
    j["transfer_psnr_ba"] = transfer_psnr_ba;
    j["truth_a_to_b_classified_a"] = truth_ab_as_a;
    j["truth_b_to_a_classified_b"] = truth_ba_as_b;
  }
  return j;
}

TransferEvalResult evaluate_transfer_model(const std::string& model_path, const std::string& dir_a,
                                           const std::string& dir_b,
                                           const TransferEvalOptions& options,
                                           const ComputeOptions& compute, const WarningSink& warn,
                                           const Callbacks& callbacks) {
  return guarded("evaluating " + model_path, [&] {
    const auto start = std::chrono::steady_clock::now();
    if (!options.save_dir.empty() && std::filesystem::exists(options.save_dir) &&
        !std::filesystem::is_empty(options.save_dir)) {
      throw bad_input(options.save_dir +
                      ": folder is not empty; the evaluation writes its "
                      "pictures only into a new or empty folder");
    }
    const ModelInfo info = inspect_model(model_path);
    double stored_threshold = 0;
    const disentangle::Loaded m = disentangle::load_model(
        model_path, compute, info.method, disentangle::composition_of(info.method, model_path),
        [&](const nlohmann::json& json, const std::string& source) {
          return disentangle::read_stored_params(json, source, info.method, &stored_threshold);
        });
    const double threshold =
        options.mask_threshold >= 0 ? options.mask_threshold : stored_threshold;

    ImageFolderOptions folder_options;
    folder_options.size = m.size;
    folder_options.min_images = 2;
    const ImageFolder fa = load_image_folder(dir_a, folder_options, warn);
    const ImageFolder fb = load_image_folder(dir_b, folder_options, warn);
    int pairs = static_cast<int>(std::min(fa.images.size(), fb.images.size()));
    if (options.max_pairs > 0) pairs = std::min(pairs, options.max_pairs);
    const std::vector<Image> a(fa.images.begin(), fa.images.begin() + pairs);
    const std::vector<Image> b(fb.images.begin(), fb.images.begin() + pairs);
    const torch::Tensor ta = as_batch(a, m);
    const torch::Tensor tb = as_batch(b, m);

    const std::int64_t chunks = (pairs + kChunk - 1) / kChunk;
    ProgressClock clock({{"transfer", 0, chunks, kChunkCostInJudgeSteps},
                         {"judge", 0, options.classifier_steps, 1}});
    auto report = [&](std::size_t stage, std::int64_t step) {
      if (callbacks.stop_requested()) throw cancelled("evaluation stopped");
      adapt_threads();
      callbacks.progress(clock.update(stage, step));
    };
    report(0, 0);

    TransferEvalResult r;
    r.pairs = pairs;
    const Outputs out =
        run_pairs(m, ta, tb, threshold, [&](std::int64_t chunk) { report(0, chunk); });
    for (int i = 0; i < pairs; ++i) {
      r.rec_l1_a += mean_l1(a[i], out.rec_a[i]) / pairs;
      r.rec_l1_b += mean_l1(b[i], out.rec_b[i]) / pairs;
      r.rec_psnr_a += capped_psnr(a[i], out.rec_a[i]) / pairs;
      r.rec_psnr_b += capped_psnr(b[i], out.rec_b[i]) / pairs;
    }

    // The judge: trained on real images only, measured on real images it has not seen.
    const torch::Tensor all_a = as_batch(fa.images, m);
    const torch::Tensor all_b = as_batch(fb.images, m);
    torch::Tensor train_a, train_b, test_a, test_b;
    if (!options.judge_a.empty() || !options.judge_b.empty()) {
      if (options.judge_a.empty() || options.judge_b.empty()) {
        throw usage_error("evaluation: give both judge folders (A and B) or neither");
      }
      ImageFolderOptions judge_options = folder_options;
      judge_options.max_images = kMaxJudgeImages;
      train_a = as_batch(load_image_folder(options.judge_a, judge_options, warn).images, m);
      train_b = as_batch(load_image_folder(options.judge_b, judge_options, warn).images, m);
      test_a = all_a;
      test_b = all_b;
    } else {
      std::tie(train_a, test_a) = disentangle::split_80_20(all_a, options.seed);
      std::tie(train_b, test_b) = disentangle::split_80_20(all_b, options.seed + 1);
    }
    disentangle::DomainClassifier judge = disentangle::train_domain_classifier(
        train_a, train_b, options.classifier_steps, options.seed, [&](int step) {
          if (step % kJudgeReportEvery == 0 || step == options.classifier_steps) report(1, step);
        });
    r.classifier_accuracy = disentangle::accuracy(judge, test_a, test_b);
    // One verdict per transfer, for the shares and for the saved verdicts.
    const torch::Tensor ab_p_a = disentangle::probability_a(judge, out.ab_tensor);
    const torch::Tensor ba_p_a = disentangle::probability_a(judge, out.ba_tensor);
    r.a_to_b_as_a = disentangle::share_of(ab_p_a, true);
    r.b_to_a_as_b = disentangle::share_of(ba_p_a, false);

    std::vector<std::string> names_a, names_b;
    for (int i = 0; i < pairs; ++i) {
      names_a.push_back(file_name(fa.paths[i]));
      names_b.push_back(file_name(fb.paths[i]));
    }
    if (!options.save_dir.empty()) {
      save_outputs(options.save_dir, a, b, out, names_a, names_b, ab_p_a, ba_p_a);
    }
    if (!options.truth.empty()) {
      for (int i = 0; i < pairs; ++i) {
        if (names_a[i] != names_b[i]) {
          throw bad_input(dir_a + " and " + dir_b + ": image " + std::to_string(i) + " is " +
                          names_a[i] + " in one and " + names_b[i] +
                          " in the other; the composite truth pairs them by name");
        }
      }
      r.has_truth = true;
      auto truth = [&](const std::vector<std::string>& names, const char* folder) {
        return load_truth(names, options.truth, folder, m.size);
      };
      const std::vector<Image> true_ab = truth(names_b, "a_onto_b");
      const std::vector<Image> true_ba = truth(names_a, "b_onto_a");
      r.removal_psnr_a = mean_psnr(out.rem_a, truth(names_a, "background_A"));
      r.removal_psnr_b = mean_psnr(out.rem_b, truth(names_b, "background_B"));
      r.transfer_psnr_ab = mean_psnr(out.ab, true_ab);
      r.transfer_psnr_ba = mean_psnr(out.ba, true_ba);
      // The judge on the true composites: the reference the transfers are measured against.
      r.truth_ab_as_a = disentangle::share_classified(judge, as_batch(true_ab, m), true);
      r.truth_ba_as_b = disentangle::share_classified(judge, as_batch(true_ba, m), false);
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
  });
}

}  // namespace atelier
