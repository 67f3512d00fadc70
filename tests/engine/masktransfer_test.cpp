// masktransfer: presets, a tiny training on a real composite set, pass-through operations and
// their masks, evaluation against the composite truth, the benchmark, and bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

#include "atelier/dataset.h"
#include "atelier/error.h"
#include "atelier/masktransfer.h"
#include "atelier/model_file.h"
#include "test_support.h"

namespace atelier {
namespace {

Preset tiny() {
  return load_preset("masktransfer", "tiny");
}

// Pixels where `x` and `y` differ by more than `tolerance` in some channel, where `mask` (grey)
// is at most `mask_at_most`.
int changed_where_unmasked(const Image& x, const Image& y, const Image& mask, int mask_at_most,
                           int tolerance = 1) {
  int changed = 0;
  for (int py = 0; py < x.height; ++py) {
    for (int px = 0; px < x.width; ++px) {
      if (mask.at(px, py)[0] > mask_at_most) continue;
      for (int c = 0; c < 3; ++c) {
        if (std::abs(x.at(px, py)[c] - y.at(px, py)[c]) > tolerance) {
          ++changed;
          break;
        }
      }
    }
  }
  return changed;
}

class TrainedMasktransfer : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<test::TempDir>("masktransfer-test");
    CompositeOptions composite;
    composite.out = dir_->file("set");
    composite.n = 40;
    composite.size = 32;
    composite.data_dir = test::data_dir();
    make_composite_dataset(composite);
    set_ = composite.out;
    images_ = new TransferImages(load_transfer_images(set_ + "/train/A", set_ + "/train/B", 32));
    TrainOptions options;
    options.out = dir_->file("tiny.atl");
    options.seed = 5;
    options.compute.threads = 1;  // ctest runs tests in parallel: one thread each
    result_ = new TrainResult(train_masktransfer(*images_, tiny(), options));
    model_path_ = options.out;
  }
  static void TearDownTestSuite() {
    delete images_;
    delete result_;
    dir_.reset();
  }

  static std::unique_ptr<test::TempDir> dir_;
  static std::string set_;
  static TransferImages* images_;
  static TrainResult* result_;
  static std::string model_path_;
};

std::unique_ptr<test::TempDir> TrainedMasktransfer::dir_;
std::string TrainedMasktransfer::set_;
TransferImages* TrainedMasktransfer::images_ = nullptr;
TrainResult* TrainedMasktransfer::result_ = nullptr;
std::string TrainedMasktransfer::model_path_;

TEST(MasktransferParams, PresetsReadAndRequireTheLayeredGenerator) {
  for (const std::string& size : list_presets("masktransfer")) {
    SCOPED_TRACE(size);
    const Preset preset = load_preset("masktransfer", size);
    const MasktransferParams p = MasktransferParams::from_preset(preset);
    EXPECT_EQ(p.generator, "layered");
    EXPECT_EQ(p.to_json(), preset.params);  // it names every option, so --set reaches each
  }
  nlohmann::json json = MasktransferParams().to_json();
  EXPECT_EQ(MasktransferParams::from_json(json, "x").to_json(), json);
  json["generator"] = "concat";
  json["erase_attributes"] = false;
  EXPECT_THROW(MasktransferParams::from_json(json, "x.json"), Error);
  json = MasktransferParams().to_json();
  json.erase("mask_threshold");
  EXPECT_THROW(MasktransferParams::from_json(json, "x.json"), Error);
  // A disentangle preset is not a masktransfer preset.
  EXPECT_THROW(MasktransferParams::from_preset(load_preset("disentangle", "tiny")), Error);
}

TEST_F(TrainedMasktransfer, TrainsAndWritesAMasktransferFile) {
  ASSERT_TRUE(result_->finished);
  EXPECT_EQ(result_->step, 40);
  const ModelInfo info = inspect_model(model_path_);
  EXPECT_EQ(info.method, "masktransfer");
  EXPECT_TRUE(info.params.contains("mask_threshold"));
}

TEST_F(TrainedMasktransfer, RemovalChangesOnlyTheMaskedArea) {
  const MasktransferModel model = MasktransferModel::load(model_path_);
  const Image& a = images_->a[0];
  // Hard threshold: outside the mask the input passes through exactly (up to rounding).
  const MaskedImage hard = model.remove(a, 0.5);
  EXPECT_EQ(changed_where_unmasked(hard.image, a, hard.mask, 0), 0);
  // The soft mask: where it is zero nothing changes either.
  const MaskedImage soft = model.remove(a, 0.0);
  EXPECT_EQ(changed_where_unmasked(soft.image, a, soft.mask, 0), 0);
  EXPECT_EQ(soft.mask.width, 32);
  EXPECT_EQ(model.mask(a).pixels, soft.mask.pixels);
  EXPECT_THROW(model.remove(a, 1.0), Error);
}

TEST_F(TrainedMasktransfer, TransferPaintsOverTheTargetAndReturnsItsMask) {
  const MasktransferModel model = MasktransferModel::load(model_path_);
  const Image& a = images_->a[1];
  const Image& b = images_->b[1];
  const MaskedImage t = model.transfer(a, b, Attribute::A);
  EXPECT_EQ(t.image.width, 32);
  EXPECT_EQ(t.mask.width, 32);
  // Outside both the painted mask and b's own attribute mask, b passes through.
  const Image own = model.mask(b);
  Image either = t.mask;
  for (std::size_t i = 0; i < either.pixels.size(); ++i) {
    either.pixels[i] = std::max(either.pixels[i], own.pixels[i]);
  }
  EXPECT_EQ(changed_where_unmasked(t.image, b, either, 0), 0);
  for (const Image& out :
       {model.reconstruct(a).image, model.strength(a, Attribute::A, 0.5).image}) {
    EXPECT_EQ(out.width, 32);
  }
  EXPECT_EQ(model.interpolate(a, b, 4, CodePart::A).size(), 4u);
  EXPECT_EQ(model.interpolate(a, b, 3, CodePart::Common).size(), 3u);
}

TEST_F(TrainedMasktransfer, GenerateRendersEditedCodesOverTheImage) {
  const MasktransferModel model = MasktransferModel::load(model_path_);
  const Image& a = images_->a[2];
  DisentangleCodes codes = model.encode(a);
  // The image's own codes, scaled by 0.5, give what strength(0.5) gives.
  for (float& v : codes.a.values) v *= 0.5f;
  const MaskedImage edited = model.generate(a, codes);
  const MaskedImage half = model.strength(a, Attribute::A, 0.5);
  ASSERT_EQ(edited.image.pixels.size(), half.image.pixels.size());
  double diff = 0;
  for (std::size_t i = 0; i < half.image.pixels.size(); ++i) {
    diff += std::abs(int(edited.image.pixels[i]) - int(half.image.pixels[i]));
  }
  EXPECT_LT(diff / half.image.pixels.size(), 1.0);
  EXPECT_EQ(edited.mask.width, 32);
  // The image's background is kept between calls (a slider's moves): another image in between
  // gets its own, and the first image's result comes back unchanged.
  const Image& other = images_->b[3];
  const DisentangleCodes other_codes = model.encode(other);
  const MasktransferModel fresh = MasktransferModel::load(model_path_);
  EXPECT_EQ(model.generate(other, other_codes).image.pixels,
            fresh.generate(other, other_codes).image.pixels);
  EXPECT_EQ(model.generate(a, codes).image.pixels, edited.image.pixels);
  codes.b.values.pop_back();
  EXPECT_THROW(model.generate(a, codes), Error);
}

TEST_F(TrainedMasktransfer, EvaluatesAgainstTheCompositeTruth) {
  TransferEvalOptions options;
  options.truth = set_ + "/test/truth";
  options.classifier_steps = 60;
  const TransferEvalResult r =
      evaluate_transfer_model(model_path_, set_ + "/test/A", set_ + "/test/B", options);
  EXPECT_EQ(r.pairs, 16);  // the composite's test split: max(16, n / 10)
  EXPECT_TRUE(r.has_truth);
  for (double share : {r.a_to_b_as_a, r.b_to_a_as_b, r.classifier_accuracy}) {
    EXPECT_GE(share, 0.0);
    EXPECT_LE(share, 1.0);
  }
  // The pass-through reconstruction keeps most of the image, so it beats a blind guess clearly.
  EXPECT_GT(r.rec_psnr_a, 12.0);
  EXPECT_GT(r.removal_psnr_a, 8.0);
  EXPECT_GT(r.transfer_psnr_ab, 8.0);
  // The judge's verdict on the true composites: what the transfers are measured against.
  for (double share : {r.truth_ab_as_a, r.truth_ba_as_b}) {
    EXPECT_GE(share, 0.0);
    EXPECT_LE(share, 1.0);
  }
  const nlohmann::json json = r.to_json();
  EXPECT_TRUE(json.contains("removal_psnr_b"));
  EXPECT_TRUE(json.contains("truth_a_to_b_classified_a"));

  // With a folder to save into: every transfer and removal, and the verdict on each transfer.
  const std::string saved = dir_->file("eval-pictures");
  options.save_dir = saved;
  const TransferEvalResult again =
      evaluate_transfer_model(model_path_, set_ + "/test/A", set_ + "/test/B", options);
  for (const char* folder : {"a_onto_b", "b_onto_a", "removal_A", "removal_B"}) {
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(saved + "/" + folder),
                            std::filesystem::directory_iterator{}),
              16)
        << folder;
  }
  std::ifstream verdicts_file(saved + "/verdicts.json");
  const nlohmann::json verdicts = nlohmann::json::parse(verdicts_file)["p_a"];
  ASSERT_EQ(verdicts["a_onto_b"].size(), 16u);
  int called_a = 0;
  for (const auto& [name, p] : verdicts["a_onto_b"].items()) called_a += p.get<double>() > 0.5;
  EXPECT_NEAR(called_a / 16.0, again.a_to_b_as_a, 1e-9);  // the verdicts are the measure's
  // The pairs at a glance: one row per pair (16 here), six pictures at twice the model's size.
  const Image sheet = load_image(saved + "/sheet.png");
  const int side = 2 * 32, gap = 2;
  EXPECT_EQ(sheet.width, 6 * side + 5 * gap);
  EXPECT_EQ(sheet.height, 16 * side + 15 * gap);
  // A folder that already holds something is refused before anything is computed or written.
  EXPECT_THROW(evaluate_transfer_model(model_path_, set_ + "/test/A", set_ + "/test/B", options),
               Error);
  options.save_dir.clear();

  // Truth folders must match: a wrong one is refused naming the file.
  options.truth = set_ + "/test/A";
  EXPECT_THROW(evaluate_transfer_model(model_path_, set_ + "/test/A", set_ + "/test/B", options),
               Error);
}

TEST_F(TrainedMasktransfer, EvaluationReportsProgressAndStopsWhenAsked) {
  TransferEvalOptions options;
  options.classifier_steps = 60;
  std::vector<Progress> seen;
  Callbacks callbacks;
  callbacks.on_progress = [&](const Progress& p) { seen.push_back(p); };
  evaluate_transfer_model(model_path_, set_ + "/test/A", set_ + "/test/B", options, {}, {},
                          callbacks);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.front().phase, "transfer");
  EXPECT_EQ(seen.front().step, 0);
  EXPECT_EQ(seen.front().steps, 1);  // 16 pairs: one chunk
  EXPECT_EQ(seen.back().phase, "judge");
  EXPECT_EQ(seen.back().step, 60);
  EXPECT_EQ(seen.back().steps, 60);
  for (std::size_t i = 1; i < seen.size(); ++i) {
    EXPECT_GE(seen[i].elapsed_s, seen[i - 1].elapsed_s);
    if (seen[i].phase == seen[i - 1].phase) {
      EXPECT_GT(seen[i].step, seen[i - 1].step);
    }
  }

  // A stop request during the judge's training ends the evaluation with a Cancelled error.
  seen.clear();
  callbacks.should_stop = [&] { return !seen.empty() && seen.back().phase == "judge"; };
  try {
    evaluate_transfer_model(model_path_, set_ + "/test/A", set_ + "/test/B", options, {}, {},
                            callbacks);
    FAIL() << "the evaluation went on after a stop request";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Cancelled) << e.what();
  }
  EXPECT_LT(seen.back().step, 60);
}

TEST(MasktransferBench, MeasuresTrainingAndLatency) {
  TransferBenchOptions options;
  options.method = "masktransfer";
  options.preset = "tiny";
  options.train_steps = 2;
  options.repeats = 3;
  const TransferBenchResult r = bench_transfer(options);
  EXPECT_GT(r.train_step_ms, 0);
  EXPECT_GT(r.train_images_per_s, 0);
  ASSERT_EQ(r.latency.size(), 2u);
  EXPECT_EQ(r.latency[0].size, 64);
  EXPECT_EQ(r.latency[1].size, 128);
  EXPECT_GT(r.latency[1].generate_ms, 0);
  EXPECT_GT(r.peak_rss_mb, 0);
}

TEST(MasktransferBadInput, AModelOfAnotherMethodIsRefused) {
  test::TempDir dir("masktransfer-bad");
  TransferImages images;
  for (int i = 0; i < 3; ++i) {
    images.a.push_back(Image(32, 32, 3, static_cast<std::uint8_t>(40 * i)));
    images.b.push_back(Image(32, 32, 3, static_cast<std::uint8_t>(200 - 40 * i)));
  }
  Preset preset = load_preset("disentangle", "tiny");
  apply_overrides(preset, {"steps=2"});
  TrainOptions options;
  options.out = dir.file("d.atl");
  train_disentangle(images, preset, options);
  try {
    MasktransferModel::load(options.out);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("d.atl"), std::string::npos);
  }
}

}  // namespace
}  // namespace atelier
