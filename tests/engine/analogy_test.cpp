// analogy with the tiny preset on a real image pair: training, its contract (progress, previews,
// stop and resume), the model file, the translations, samples, evaluation, benchmark, bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <memory>

#include "atelier/analogy.h"
#include "atelier/error.h"
#include "atelier/metrics.h"
#include "atelier/model_file.h"
#include "core/model_archive.h"
#include "paper_steps.h"
#include "test_support.h"

namespace atelier {
namespace {

using test::TempDir;

// 48x48 crops; the tiny preset shrinks them to 40x40.
Image image_a() {
  return center_crop_square(load_image(test::data_file("images/building.jpg")), 48);
}
Image image_b() {
  return center_crop_square(load_image(test::data_file("images/starry_night.jpg")), 48);
}

double mean_abs_difference(const Image& a, const Image& b) {
  EXPECT_EQ(a.pixels.size(), b.pixels.size());
  double sum = 0;
  for (std::size_t i = 0; i < a.pixels.size(); ++i) sum += std::abs(a.pixels[i] - b.pixels[i]);
  return sum / a.pixels.size();
}

struct TrainingRun {
  TrainResult result;
  std::map<int, std::vector<double>> cyc;  // reported cycle losses per scale (1-based)
  std::vector<Progress> progress;
  std::vector<Image> previews;
};

TrainingRun train(const std::string& out, const std::string& resume = "",
                  int stop_after_steps = -1) {
  TrainingRun run;
  TrainOptions options;
  options.out = out;
  options.resume = resume;
  options.seed = 7;
  options.preview_every = 20;
  options.checkpoint_every_s = 0;
  options.compute.device = "cpu";
  options.compute.threads = 1;
  Callbacks callbacks;
  callbacks.on_progress = [&](const Progress& p) {
    run.progress.push_back(p);
    for (const auto& [name, value] : p.losses) {
      if (name == "cyc") run.cyc[p.scale].push_back(value);
    }
  };
  callbacks.on_preview = [&](const Image& image) { run.previews.push_back(image); };
  int polls = 0;
  callbacks.should_stop = [&] { return stop_after_steps >= 0 && polls++ >= stop_after_steps; };
  run.result =
      train_analogy(image_a(), image_b(), load_preset("analogy", "tiny"), options, callbacks);
  return run;
}

class AnalogyTrained : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>("analogy-test");
    run_ = std::make_unique<TrainingRun>(train(dir_->file("tiny.atl")));
  }
  static void TearDownTestSuite() {
    run_.reset();
    dir_.reset();
  }
  static AnalogyModel model() { return AnalogyModel::load(run_->result.model_path, {"cpu", 1}); }

  static std::unique_ptr<TempDir> dir_;
  static std::unique_ptr<TrainingRun> run_;
};
std::unique_ptr<TempDir> AnalogyTrained::dir_;
std::unique_ptr<TrainingRun> AnalogyTrained::run_;

TEST_F(AnalogyTrained, FinishesEveryScaleAndReports) {
  const AnalogyParams tiny = AnalogyParams::from_preset(load_preset("analogy", "tiny"));
  const TrainResult& r = run_->result;
  EXPECT_TRUE(r.finished);
  EXPECT_EQ(r.step, static_cast<std::int64_t>(tiny.scales) * tiny.iterations);
  ASSERT_FALSE(run_->progress.empty());
  const Progress& last = run_->progress.back();
  EXPECT_EQ(last.scale, tiny.scales);
  EXPECT_EQ(last.step, tiny.iterations);
  EXPECT_EQ(r.final_losses.size(), 6u);
  // A preview (a->b beside b->a) every 20 steps of every scale, and one early preview on a machine
  // slow or busy enough that 20 steps take over half a second (PreviewSchedule).
  const auto regular = static_cast<std::size_t>(tiny.scales * tiny.iterations / 20);
  EXPECT_GE(run_->previews.size(), regular);
  EXPECT_LE(run_->previews.size(), regular + 1);
  EXPECT_GT(run_->previews.back().width, 2 * 40);
  // The cycle through the other domain is learnt at every scale.
  ASSERT_EQ(run_->cyc.size(), 3u);
  for (const auto& [scale, values] : run_->cyc) {
    ASSERT_GE(values.size(), 2u);
    EXPECT_LT(values.back(), values.front()) << "scale " << scale;
  }
}

TEST_F(AnalogyTrained, FileDescribesTheModel) {
  const ModelInfo info = inspect_model(run_->result.model_path);
  EXPECT_EQ(info.method, "analogy");
  EXPECT_EQ(info.preset, "tiny");
  EXPECT_TRUE(info.finished);
  EXPECT_EQ(info.params, load_preset("analogy", "tiny").params);
  EXPECT_FALSE(info.thumbnail.empty());
  const AnalogyModel m = model();
  EXPECT_EQ(m.scales(), 3);
  EXPECT_EQ(m.width(), 40);
  EXPECT_EQ(m.height(), 40);
  // Residual at the coarse scales, direct at the finest (direct_scales 1).
  EXPECT_EQ(m.residual_scales(), (std::vector<bool>{true, true, false}));
  EXPECT_LT(mean_abs_difference(m.training_image(Domain::A), resize_image(image_a(), 40, 40)), 3);
  EXPECT_LT(mean_abs_difference(m.training_image(Domain::B), resize_image(image_b(), 40, 40)), 3);
}

TEST_F(AnalogyTrained, TranslationsKeepTheSourceLayout) {
  const AnalogyModel m = model();
  const Image a = m.training_image(Domain::A);
  const Image b = m.training_image(Domain::B);
  AnalogyTranslateOptions options;
  options.seed = 3;
  options.inject = 0;
  const Image ab = m.translate(Domain::A, options);
  EXPECT_EQ(ab.width, 40);
  EXPECT_EQ(ab.pixels, m.translate(Domain::A, options).pixels);  // seeded
  const Image ba = m.translate(Domain::B, options);
  EXPECT_GT(mean_abs_difference(ab, ba), 1.0);
  // a->b follows a's layout more than b does, and b->a follows b's more than a does.
  EXPECT_GT(structure_score(ab, a), structure_score(b, a));
  EXPECT_GT(structure_score(ba, b), structure_score(a, b));
  // Injected at a finer scale, more of a survives.
  options.inject = 1;
  const Image ab1 = m.translate(Domain::A, options);
  EXPECT_GT(mean_abs_difference(ab1, ab), 0.0);
  options.inject = 3;
  EXPECT_THROW(m.translate(Domain::A, options), Error);
  // Any image goes through the analogy (paint-to-image), at any size.
  const Image painting = resize_image(resize_image(a, 5, 5), 90, 60);
  const Image painted = m.translate(painting, Domain::A, {});
  EXPECT_EQ(painted.width, 40);
  EXPECT_EQ(painted.height, 40);
  EXPECT_THROW(m.translate(Image(), Domain::A, {}), Error);
}

// The model chose each direction's level after training, from its own measures of every level.
TEST_F(AnalogyTrained, EachDirectionUsesTheLevelTheModelChose) {
  const AnalogyModel m = model();
  const Image a = m.training_image(Domain::A);
  const Image b = m.training_image(Domain::B);
  const std::vector<AnalogyLevelScore> ab = score_injection_levels(m, Domain::A);
  const std::vector<AnalogyLevelScore> ba = score_injection_levels(m, Domain::B);
  ASSERT_EQ(ab.size(), 3u);
  for (std::size_t k = 0; k < ab.size(); ++k) {
    EXPECT_EQ(ab[k].inject, static_cast<int>(k));
    EXPECT_GT(ab[k].swd_ratio, 0.0);
  }
  EXPECT_EQ(m.default_inject(Domain::A), choose_injection_level(ab, structure_score(b, a)));
  EXPECT_EQ(m.default_inject(Domain::B), choose_injection_level(ba, structure_score(a, b)));
  const nlohmann::json stored = inspect_model(run_->result.model_path).state.at("default_inject");
  EXPECT_EQ(stored.at("ab").get<int>(), m.default_inject(Domain::A));
  // Without an injection scale, a translation takes the model's level.
  AnalogyTranslateOptions own, chosen;
  own.seed = chosen.seed = 2;
  chosen.inject = m.default_inject(Domain::B);
  EXPECT_EQ(m.translate(Domain::B, own).pixels, m.translate(Domain::B, chosen).pixels);
}

// The worse of structure kept and patches taken decides: the beach-and-city model kept
// some structure at level 0 but looked nothing like the city (SWD 3.2x the mirrored city).
TEST(Analogy, TheChosenLevelKeepsStructureAndTakesTheTargetsPatches) {
  const double baseline = -0.128;
  const std::vector<AnalogyLevelScore> levels = {{0, 0.090, 3.2, 4.0},
                                                 {1, 0.150, 2.4, 3.0},
                                                 {2, 0.380, 1.6, 2.5},
                                                 {3, 0.700, 2.9, 1.5},
                                                 {4, 0.900, 4.5, 1.1}};
  EXPECT_EQ(choose_injection_level(levels, baseline), 2);
  // A near copy of the source is no analogy, however much structure it keeps.
  const std::vector<AnalogyLevelScore> copy = {
      {0, 0.3, 1.9, 1.6}, {1, 0.95, 1.2, 0.5}, {2, 0.97, 1.0, 0.3}};
  EXPECT_EQ(choose_injection_level(copy, 0.0), 0);
  // The finest level only recolours the source: never the default of several.
  const std::vector<AnalogyLevelScore> finest = {{0, 0.2, 2.5, 2.0}, {1, 0.9, 1.0, 1.5}};
  EXPECT_EQ(choose_injection_level(finest, 0.0), 0);
  EXPECT_EQ(choose_injection_level({{0, 0.2, 2.5, 2.0}}, 0.0), 0);
  // Where no level keeps structure, the one that keeps the most of it.
  const std::vector<AnalogyLevelScore> flat = {
      {0, -0.2, 1.0, 3.0}, {1, -0.1, 1.1, 3.0}, {2, -0.15, 1.0, 3.0}};
  EXPECT_EQ(choose_injection_level(flat, 0.0), 1);
}

// A level within the targets (structure kept, SWD at most 2x the mirrored target) beats one with a
// little more structure beyond them: fruits -> coffee (preview, seed 2) measured these a->b levels,
// and the weighing alone chose level 3 at 2.07x.
TEST(Analogy, ALevelWithinTheTargetsComesBeforeOneBeyondThem) {
  const double baseline = 0.068;
  const std::vector<AnalogyLevelScore> levels = {{0, 0.058, 3.03, 3.75},
                                                 {1, 0.185, 1.48, 2.76},
                                                 {2, 0.383, 1.38, 2.17},
                                                 {3, 0.780, 2.07, 1.78},
                                                 {4, 0.905, 2.13, 1.00}};
  EXPECT_EQ(choose_injection_level(levels, baseline), 2);
  // Within the targets the weighing still decides; outside them all, as before.
  std::vector<AnalogyLevelScore> within = levels;
  within[3].swd_ratio = 1.95;
  EXPECT_EQ(choose_injection_level(within, baseline), 3);
  std::vector<AnalogyLevelScore> beyond = levels;
  beyond[2].swd_ratio = beyond[1].swd_ratio = 2.2;
  EXPECT_EQ(choose_injection_level(beyond, baseline), 3);
}

// Files from before models chose their levels translate at level 0; a level that does not exist is
// a broken file.
TEST_F(AnalogyTrained, OlderFilesTranslateAtLevelZeroAndBadLevelsAreRefused) {
  TempDir dir("analogy-levels");
  RawModelArchive archive = read_raw_model_archive(run_->result.model_path);
  archive.info.state.erase("default_inject");
  write_raw_model_archive(dir.file("older.atl"), archive);
  const AnalogyModel older = AnalogyModel::load(dir.file("older.atl"), {"cpu", 1});
  EXPECT_EQ(older.default_inject(Domain::A), 0);
  EXPECT_EQ(older.default_inject(Domain::B), 0);
  archive.info.state["default_inject"] = {{"ab", 7}, {"ba", 0}};
  write_raw_model_archive(dir.file("bad.atl"), archive);
  try {
    AnalogyModel::load(dir.file("bad.atl"), {"cpu", 1});
    FAIL() << "a default level outside the model's scales was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput);
    EXPECT_NE(std::string(e.what()).find("bad.atl"), std::string::npos) << e.what();
  }
}

TEST_F(AnalogyTrained, SamplesOfEachDomain) {
  const AnalogyModel m = model();
  const Image s = m.sample(Domain::B, 1);
  EXPECT_EQ(s.width, 40);
  EXPECT_EQ(s.pixels, m.sample(Domain::B, 1).pixels);
  EXPECT_GT(mean_abs_difference(s, m.sample(Domain::B, 2)), 0.5);
  EXPECT_GT(mean_abs_difference(s, m.sample(Domain::A, 1)), 1.0);
  const Image b = m.training_image(Domain::B);
  EXPECT_LT(mean_abs_difference(m.reconstruct(Domain::B), b), mean_abs_difference(s, b));
  EXPECT_THROW(m.sample(Domain::A, 1, 5), Error);
}

TEST_F(AnalogyTrained, EvaluationMeasuresPatchesStructureAndDiversity) {
  AnalogyEvalOptions options;
  options.samples = 3;
  options.swd.directions = 64;
  options.swd.max_patches = 1024;
  const AnalogyEvalResult r = evaluate_analogy(run_->result.model_path, options, {"cpu", 1});
  const AnalogyModel m = model();
  EXPECT_EQ(r.width, 40);
  EXPECT_GT(r.swd_ab, 0.0);
  EXPECT_GT(r.swd_b_mirrored, 0.0);
  EXPECT_DOUBLE_EQ(r.structure_b_vs_a,
                   structure_score(m.training_image(Domain::B), m.training_image(Domain::A)));
  EXPECT_GT(r.structure_ab, r.structure_b_vs_a);
  // Every level of both directions, and the translations at the model's own levels.
  EXPECT_EQ(r.levels_ab.size(), 3u);
  EXPECT_EQ(r.levels_ba.size(), 3u);
  EXPECT_EQ(r.inject_ab, m.default_inject(Domain::A));
  EXPECT_EQ(r.inject_ba, r.default_inject_ba);
  EXPECT_DOUBLE_EQ(r.structure_ab, r.levels_ab[r.inject_ab].structure);
  options.inject = 1;
  const AnalogyEvalResult at_one = evaluate_analogy(run_->result.model_path, options, {"cpu", 1});
  EXPECT_EQ(at_one.inject_ab, 1);
  EXPECT_EQ(at_one.default_inject_ab, r.default_inject_ab);
  EXPECT_GT(r.diversity_a, 0.0);
  EXPECT_GT(r.diversity_b, 0.0);
  EXPECT_GT(r.swd_samples_a, 0.0);
  options.samples = 1;
  EXPECT_THROW(evaluate_analogy(run_->result.model_path, options), Error);
}

TEST(Analogy, TakesSeveralCriticAndGeneratorStepsAnIterationAsThePaperPresetsDo) {
  test::expect_trains_with_paper_steps("analogy", [](const Preset& p, const TrainOptions& o) {
    return train_analogy(image_a(), image_b(), p, o, Callbacks());
  });
}

TEST(Analogy, BenchmarkTimesEveryScaleAndTakesGreyAndAlphaImages) {
  AnalogyBenchOptions options;
  options.compute = {"cpu", 1};
  options.preset = "tiny";
  options.steps = 1;
  options.ceiling = false;
  options.a = Image(48, 36, 1, 90);   // grey
  options.b = Image(48, 36, 4, 200);  // with alpha
  const MultiScaleBenchResult r = bench_analogy(options);
  EXPECT_EQ(r.method, "analogy");
  ASSERT_EQ(r.scales.size(), 3u);
  EXPECT_EQ(r.scales.back().width, 40);
  EXPECT_EQ(r.scales.back().height, 30);
  for (std::size_t k = 0; k < r.scales.size(); ++k) {
    EXPECT_GT(r.scales[k].step_ms, 0.0);
    if (k > 0) {
      EXPECT_GT(r.scales[k].gflop, r.scales[k - 1].gflop);
    }
  }
  EXPECT_GT(r.achieved_gflops, 0.0);
  options.b = Image();
  EXPECT_THROW(bench_analogy(options), Error);
}

TEST(Analogy, RefusesBadPairsWithClearMessages) {
  TempDir dir("analogy-bad");
  TrainOptions options;
  options.out = dir.file("bad.atl");
  const Preset tiny = load_preset("analogy", "tiny");
  try {
    train_analogy(Image(60, 40, 3, 10), Image(50, 40, 3, 10), tiny, options);
    FAIL() << "a pair of different sizes was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput);
    EXPECT_NE(std::string(e.what()).find("60x40"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("50x40"), std::string::npos) << e.what();
  }
  try {
    train_analogy(Image(30, 12, 3, 10), Image(30, 12, 3, 10), tiny, options);
    FAIL() << "a 30x12 pair was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput);
    EXPECT_NE(std::string(e.what()).find("30x12"), std::string::npos) << e.what();
  }
  EXPECT_THROW(train_analogy(Image(), Image(), tiny, options), Error);
  EXPECT_FALSE(std::filesystem::exists(options.out));
}

TEST(Analogy, StopSavesAResumableFileAndResumeFinishesTheRun) {
  const AnalogyParams tiny = AnalogyParams::from_preset(load_preset("analogy", "tiny"));
  TempDir dir("analogy-resume");
  const TrainingRun stopped = train(dir.file("part.atl"), "", 50);
  EXPECT_FALSE(stopped.result.finished);
  const ModelInfo part = inspect_model(dir.file("part.atl"));
  EXPECT_FALSE(part.finished);
  EXPECT_EQ(part.state.at("scale"), 1);
  EXPECT_EQ(AnalogyModel::load(dir.file("part.atl"), {"cpu", 1}).scales(), 2);
  const TrainingRun resumed = train(dir.file("done.atl"), dir.file("part.atl"));
  EXPECT_TRUE(resumed.result.finished);
  EXPECT_EQ(resumed.result.step, static_cast<std::int64_t>(tiny.scales) * tiny.iterations);
  EXPECT_EQ(resumed.progress.front().scale, 2);
  EXPECT_THROW(train(dir.file("again.atl"), dir.file("done.atl")), Error);
}

TEST(Analogy, RejectsAFileOfAnotherMethodAndReadsPresetsStrictly) {
  TempDir dir("analogy-foreign");
  RawModelArchive foreign;
  foreign.info.method = "singan";
  foreign.info.preset = "tiny";
  foreign.info.finished = true;
  write_raw_model_archive(dir.file("singan.atl"), foreign);
  try {
    AnalogyModel::load(dir.file("singan.atl"));
    FAIL() << "a singan file loaded as analogy";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput);
    EXPECT_NE(std::string(e.what()).find("singan"), std::string::npos) << e.what();
  }
  for (const std::string size : {"tiny", "preview", "standard", "paper", "reference"}) {
    const Preset preset = load_preset("analogy", size);
    EXPECT_EQ(AnalogyParams::from_preset(preset).to_json(), preset.params) << size;
  }
  EXPECT_EQ(AnalogyParams::from_preset(load_preset("analogy", "paper")).to_json(),
            AnalogyParams().to_json());
  Preset extra = load_preset("analogy", "tiny");
  extra.params["unknown_knob"] = 1;
  EXPECT_THROW(AnalogyParams::from_preset(extra), Error);
  Preset missing = load_preset("analogy", "tiny");
  missing.params.erase("cycle_weight");
  EXPECT_THROW(AnalogyParams::from_preset(missing), Error);
}

}  // namespace
}  // namespace atelier
