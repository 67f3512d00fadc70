// singan with the tiny preset on a real photo: training, its contract (progress, previews, stop and
// resume), the model file, and the inference operations.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>

#include "atelier/error.h"
#include "atelier/model_file.h"
#include "atelier/singan.h"
#include "core/model_archive.h"
#include "paper_steps.h"
#include "test_support.h"

namespace atelier {
namespace {

using test::TempDir;

Image training_image() {
  // 64 px wide; the tiny preset shrinks it further to its max_size (40).
  return fit_within(load_image(test::data_file("images/starry_night.jpg")), 64);
}

double mean_abs_difference(const Image& a, const Image& b) {
  EXPECT_EQ(a.pixels.size(), b.pixels.size());
  double sum = 0;
  for (std::size_t i = 0; i < a.pixels.size(); ++i) sum += std::abs(a.pixels[i] - b.pixels[i]);
  return sum / a.pixels.size();
}

struct TrainingRun {
  TrainResult result;
  std::map<int, std::vector<double>> rec;  // reported reconstruction losses per scale (1-based)
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
  options.preview_every = 10;
  options.checkpoint_every_s = 0;
  options.compute.device = "cpu";
  options.compute.threads =
      1;  // tiny maps gain nothing from more, and ctest runs tests side by side
  Callbacks callbacks;
  callbacks.on_progress = [&](const Progress& p) {
    run.progress.push_back(p);
    for (const auto& [name, value] : p.losses) {
      if (name == "rec") run.rec[p.scale].push_back(value);
    }
  };
  callbacks.on_preview = [&](const Image& image) { run.previews.push_back(image); };
  int polls = 0;
  callbacks.should_stop = [&] { return stop_after_steps >= 0 && polls++ >= stop_after_steps; };
  run.result = train_singan(training_image(), load_preset("singan", "tiny"), options, callbacks);
  return run;
}

class SinganTrained : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>("singan-test");
    run_ = std::make_unique<TrainingRun>(train(dir_->file("tiny.atl")));
  }
  static void TearDownTestSuite() {
    run_.reset();
    dir_.reset();
  }
  static SinganModel model() { return SinganModel::load(run_->result.model_path, {"cpu", 0}); }

  static std::unique_ptr<TempDir> dir_;
  static std::unique_ptr<TrainingRun> run_;
};
std::unique_ptr<TempDir> SinganTrained::dir_;
std::unique_ptr<TrainingRun> SinganTrained::run_;

TEST_F(SinganTrained, FinishesEveryScaleAndReports) {
  const SinganParams tiny = SinganParams::from_preset(load_preset("singan", "tiny"));
  const TrainResult& r = run_->result;
  EXPECT_TRUE(r.finished);
  EXPECT_EQ(r.step, static_cast<std::int64_t>(tiny.scales) * tiny.iterations);
  ASSERT_FALSE(run_->progress.empty());
  const Progress& last = run_->progress.back();
  EXPECT_EQ(last.phase, "train");
  EXPECT_EQ(last.scale, tiny.scales);
  EXPECT_EQ(last.scales, tiny.scales);
  EXPECT_EQ(last.step, tiny.iterations);
  EXPECT_EQ(last.steps, tiny.iterations);
  EXPECT_EQ(last.eta_s, 0);
  EXPECT_GT(last.elapsed_s, 0);
  EXPECT_EQ(r.final_losses.size(), 4u);
  // A preview every 10 steps of every scale, at that scale's size, and one early preview on a
  // machine slow or busy enough that 10 steps take over half a second (PreviewSchedule).
  const auto regular = static_cast<std::size_t>(tiny.scales * tiny.iterations / 10);
  EXPECT_GE(run_->previews.size(), regular);
  EXPECT_LE(run_->previews.size(), regular + 1);
  EXPECT_EQ(run_->previews.back().width, 40);
}

TEST_F(SinganTrained, ReconstructionLossFalls) {
  ASSERT_EQ(run_->rec.size(), 3u);
  for (const auto& [scale, values] : run_->rec) {
    ASSERT_GE(values.size(), 2u) << "scale " << scale;
    EXPECT_LT(values.back(), values.front()) << "scale " << scale;
  }
  // The model reproduces the training image closely from its fixed noise.
  const SinganModel m = model();
  const Image real = resize_image(training_image(), m.width(), m.height());
  const double error = mean_abs_difference(m.reconstruct(), real);
  EXPECT_LT(error, 25.0);  // of 255; a flat grey image is ~60 away
  EXPECT_GT(mean_abs_difference(m.sample({1}), real), error);
}

TEST_F(SinganTrained, FileDescribesTheModel) {
  const ModelInfo info = inspect_model(run_->result.model_path);
  EXPECT_EQ(info.method, "singan");
  EXPECT_EQ(info.preset, "tiny");
  EXPECT_TRUE(info.finished);
  EXPECT_EQ(info.step, run_->result.step);
  EXPECT_EQ(info.seed, 7u);
  EXPECT_EQ(info.params, load_preset("singan", "tiny").params);
  EXPECT_FALSE(info.thumbnail.empty());
  EXPECT_EQ(info.state.at("trained_scales"), 3);

  const SinganModel m = model();
  EXPECT_EQ(m.info().method, "singan");
  EXPECT_EQ(m.params().to_json(), info.params);
  EXPECT_EQ(m.device(), "cpu");
  const auto scales = m.scales();
  ASSERT_EQ(scales.size(), 3u);
  EXPECT_EQ(scales[0].noise_amp, 1.0);  // the coarsest scale starts from noise alone
  for (std::size_t k = 1; k < scales.size(); ++k) {
    EXPECT_GT(scales[k].noise_amp, 0.0);
    EXPECT_LT(scales[k].noise_amp, 1.0);
    EXPECT_GT(scales[k].width, scales[k - 1].width);
  }
  EXPECT_EQ(scales.back().width, m.width());
  EXPECT_EQ(scales[0].height, 16);  // min_size
}

TEST_F(SinganTrained, SamplesAreSeededAndSized) {
  const SinganModel m = model();
  const Image a = m.sample({1});
  EXPECT_EQ(a.width, m.width());
  EXPECT_EQ(a.height, m.height());
  EXPECT_EQ(a.channels, 3);
  EXPECT_EQ(a.pixels, m.sample({1}).pixels);
  EXPECT_EQ(a.pixels, model().sample({1}).pixels);  // a file round trip changes nothing
  EXPECT_GT(mean_abs_difference(a, m.sample({2})), 0.5);

  const Image wide = m.sample({3, 72, 30});
  EXPECT_EQ(wide.width, 72);
  EXPECT_EQ(wide.height, 30);
  const Image keep_aspect = m.sample({3, 80, 0});
  EXPECT_EQ(keep_aspect.width, 80);
  EXPECT_NEAR(keep_aspect.height, 80.0 * m.height() / m.width(), 1.0);

  // From a finer start scale the sample keeps the reconstruction's layout: it is nearer to it.
  const Image rec = m.reconstruct();
  const Image from_2 = m.sample({4, 0, 0, 2});
  EXPECT_EQ(from_2.width, m.width());
  EXPECT_LT(mean_abs_difference(from_2, rec), mean_abs_difference(m.sample({4}), rec));
  EXPECT_EQ(m.sample({5, 50, 40, 1}).width, 50);

  EXPECT_THROW(m.sample({1, 0, 0, 3}), Error);    // no scale 3
  EXPECT_THROW(m.sample({1, 100000, 0}), Error);  // absurd size
}

TEST_F(SinganTrained, InterpolationRunsFromOneSeedToTheOther) {
  const SinganModel m = model();
  EXPECT_EQ(m.interpolate(1, 2, 0.0).pixels, m.sample({1}).pixels);
  EXPECT_LT(mean_abs_difference(m.interpolate(1, 2, 1.0), m.sample({2})), 0.01);
  const Image half = m.interpolate(1, 2, 0.5);
  EXPECT_GT(mean_abs_difference(half, m.sample({1})), 0.1);
  EXPECT_GT(mean_abs_difference(half, m.sample({2})), 0.1);
  EXPECT_THROW(m.interpolate(1, 2, 1.5), Error);
}

TEST_F(SinganTrained, NoiseGainsScaleEachScalesNewDetail) {
  const SinganModel m = model();
  const std::size_t scales = m.scales().size();
  SinganSampleOptions quiet;
  quiet.seed = 1;
  quiet.noise_gain.assign(scales, 0.0);
  SinganSampleOptions quiet_other = quiet;
  quiet_other.seed = 2;
  // Without noise the seed no longer matters, in samples and in interpolations.
  EXPECT_EQ(m.sample(quiet).pixels, m.sample(quiet_other).pixels);
  EXPECT_EQ(m.interpolate(1, 2, 0.5, quiet).pixels, m.sample(quiet).pixels);
  SinganSampleOptions trained = quiet;
  trained.noise_gain.assign(scales, 1.0);  // the trained amplitudes
  EXPECT_EQ(m.sample(trained).pixels, m.sample({1}).pixels);
  SinganSampleOptions finest_louder = trained;
  finest_louder.noise_gain.back() = 3.0;
  EXPECT_GT(mean_abs_difference(m.sample(finest_louder), m.sample({1})), 0.1);

  SinganSampleOptions bad = trained;
  bad.noise_gain.push_back(1.0);  // one more gain than scales
  EXPECT_THROW(m.sample(bad), Error);
  bad = trained;
  bad.noise_gain.front() = 5.0;
  EXPECT_THROW(m.sample(bad), Error);
}

TEST_F(SinganTrained, AnimationMovesSmoothly) {
  const SinganModel m = model();
  SinganAnimateOptions options;
  options.seed = 3;
  options.fps = 12;
  const Video video = m.animate(12, options);
  ASSERT_EQ(video.frames.size(), 12u);
  EXPECT_EQ(video.fps, 12);
  EXPECT_EQ(video.width(), m.width());
  EXPECT_EQ(m.animate(12, options).frames.back().pixels, video.frames.back().pixels);
  // Neighbouring frames differ, and less than frames far apart.
  double near = 0;
  for (int i = 1; i < 12; ++i) near += mean_abs_difference(video.frames[i - 1], video.frames[i]);
  near /= 11;
  EXPECT_GT(near, 0.05);
  EXPECT_LT(near, mean_abs_difference(video.frames.front(), video.frames.back()));
  EXPECT_THROW(m.animate(0), Error);
}

TEST_F(SinganTrained, PaintingBecomesAnImageOfTheTrainingSize) {
  const SinganModel m = model();
  // A rough painting: the training image reduced to blocks of flat colour, at another size.
  const Image blocks = resize_image(resize_image(training_image(), 6, 4), 90, 60);
  const Image painted = m.paint(blocks, 1, 5);
  EXPECT_EQ(painted.width, m.width());
  EXPECT_EQ(painted.height, m.height());
  EXPECT_EQ(painted.pixels, m.paint(blocks, 1, 5).pixels);
  EXPECT_GT(mean_abs_difference(painted, m.paint(blocks, 2, 5)), 0.0);
  EXPECT_THROW(m.paint(blocks, 7), Error);
  EXPECT_THROW(m.paint(Image(), 1), Error);
}

TEST_F(SinganTrained, EvaluationComparesSamplesWithTheTrainingImage) {
  const SinganModel m = model();
  const Image real = resize_image(training_image(), m.width(), m.height());
  EXPECT_EQ(m.training_image().width, m.width());
  EXPECT_LT(mean_abs_difference(m.training_image(), real), 3.0);  // stored, not re-read

  SinganEvalOptions options;
  options.samples = 3;
  options.swd.directions = 64;
  options.swd.max_patches = 1024;
  const SinganEvalResult r = evaluate_singan(run_->result.model_path, options, {"cpu", 1});
  EXPECT_EQ(r.width, m.width());
  EXPECT_EQ(r.samples, 3);
  EXPECT_GT(r.swd_samples, 0.0);
  EXPECT_GT(r.swd_flipped, 0.0);
  EXPECT_DOUBLE_EQ(r.swd_ratio, r.swd_samples / r.swd_flipped);
  EXPECT_GT(r.rec_psnr, 15.0);
  // Samples from a finer start scale share the reconstruction's layout: less diverse.
  options.start_scale = 2;
  const SinganEvalResult fine = evaluate_singan(run_->result.model_path, options, {"cpu", 1});
  EXPECT_GT(r.diversity, fine.diversity);
  EXPECT_GT(fine.diversity, 0.0);
  options.samples = 1;
  EXPECT_THROW(evaluate_singan(run_->result.model_path, options), Error);
}

TEST(Singan, TakesSeveralCriticAndGeneratorStepsAnIterationAsThePaperPresetsDo) {
  test::expect_trains_with_paper_steps("singan", [](const Preset& p, const TrainOptions& o) {
    return train_singan(training_image(), p, o, Callbacks());
  });
}

TEST(Singan, BenchmarkTimesEveryScaleOfThePreset) {
  SinganBenchOptions options;
  options.compute = {"cpu", 1};
  options.preset = "tiny";
  options.width = 40;
  options.height = 30;
  options.steps = 1;
  options.ceiling = false;
  const MultiScaleBenchResult r = bench_singan(options);
  EXPECT_EQ(r.method, "singan");
  EXPECT_EQ(r.device, "cpu");
  ASSERT_EQ(r.scales.size(), 3u);
  EXPECT_EQ(r.scales.back().width, 40);
  EXPECT_EQ(r.scales.back().height, 30);
  for (std::size_t k = 0; k < r.scales.size(); ++k) {
    EXPECT_GT(r.scales[k].step_ms, 0.0);
    EXPECT_EQ(r.scales[k].iterations, 40);
    if (k > 0) {
      EXPECT_GT(r.scales[k].gflop, r.scales[k - 1].gflop);  // more pixels, same nets
    }
  }
  EXPECT_GT(r.train_estimate_s, 0.0);
  EXPECT_GT(r.achieved_gflops, 0.0);
  EXPECT_EQ(r.ceiling_train_gflops, 0.0);
  EXPECT_GT(r.peak_rss_mb, 0.0);
  options.steps = 0;
  EXPECT_THROW(bench_singan(options), Error);
}

TEST(Singan, StopSavesAResumableFileAndResumeFinishesTheRun) {
  const SinganParams tiny = SinganParams::from_preset(load_preset("singan", "tiny"));
  const std::int64_t total = static_cast<std::int64_t>(tiny.scales) * tiny.iterations;
  TempDir dir("singan-resume");
  const TrainingRun stopped = train(dir.file("part.atl"), "", 50);  // midway through scale 2
  EXPECT_FALSE(stopped.result.finished);
  EXPECT_EQ(stopped.result.step, 50);
  const ModelInfo part = inspect_model(dir.file("part.atl"));
  EXPECT_FALSE(part.finished);
  EXPECT_EQ(part.step, 50);
  EXPECT_EQ(part.state.at("scale"), 1);
  EXPECT_EQ(part.state.at("scale_step"), 50 - tiny.iterations);
  // A stopped model can already be sampled, at the scale it had reached.
  const SinganModel partial = SinganModel::load(dir.file("part.atl"), {"cpu", 0});
  EXPECT_EQ(partial.scales().size(), 2u);
  EXPECT_FALSE(partial.sample({1}).empty());

  const TrainingRun resumed = train(dir.file("done.atl"), dir.file("part.atl"));
  EXPECT_TRUE(resumed.result.finished);
  EXPECT_EQ(resumed.result.step, total);
  ASSERT_FALSE(resumed.progress.empty());
  EXPECT_EQ(resumed.progress.front().scale, 2);  // continued where it stopped
  EXPECT_EQ(resumed.progress.front().step, 50 - tiny.iterations + 1);
  const ModelInfo done = inspect_model(dir.file("done.atl"));
  EXPECT_TRUE(done.finished);
  EXPECT_EQ(done.step, total);
  EXPECT_EQ(done.state.at("trained_scales"), 3);
  EXPECT_EQ(SinganModel::load(dir.file("done.atl")).scales().size(), 3u);

  // A finished file has nothing to resume.
  try {
    train(dir.file("again.atl"), dir.file("done.atl"));
    FAIL() << "resuming a finished model succeeded";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Usage);
  }
}

TEST(Singan, StopBeforeTheFirstStepStillWritesAResumableFile) {
  TempDir dir("singan-stop0");
  const TrainingRun stopped = train(dir.file("zero.atl"), "", 0);
  EXPECT_FALSE(stopped.result.finished);
  EXPECT_EQ(stopped.result.step, 0);
  EXPECT_FALSE(inspect_model(dir.file("zero.atl")).finished);
}

TEST(Singan, RejectsAFileOfAnotherMethod) {
  TempDir dir("singan-foreign");
  RawModelArchive foreign;
  foreign.info.method = "analogy";
  foreign.info.preset = "tiny";
  foreign.info.finished = true;
  write_raw_model_archive(dir.file("analogy.atl"), foreign);
  try {
    SinganModel::load(dir.file("analogy.atl"));
    FAIL() << "an analogy file loaded as singan";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput);
    EXPECT_NE(std::string(e.what()).find("analogy"), std::string::npos) << e.what();
  }
  EXPECT_THROW(train(dir.file("out.atl"), dir.file("analogy.atl")), Error);
  EXPECT_THROW(SinganModel::load(dir.file("missing.atl")), Error);
}

TEST(Singan, RefusesAnImageBelowTheMinimumSize) {
  TempDir dir("singan-small");
  TrainOptions options;
  options.out = dir.file("small.atl");
  try {
    train_singan(Image(30, 12, 3, 128), load_preset("singan", "tiny"), options);
    FAIL() << "a 30x12 image was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput);
    EXPECT_NE(std::string(e.what()).find("30x12"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(options.out));
}

TEST(Singan, PresetsAreReadStrictly) {
  for (const std::string size : {"tiny", "preview", "standard", "paper", "reference"}) {
    const Preset preset = load_preset("singan", size);
    const SinganParams p = SinganParams::from_preset(preset);
    EXPECT_EQ(p.to_json(), preset.params) << size;
  }
  const SinganParams paper = SinganParams::from_preset(load_preset("singan", "paper"));
  EXPECT_EQ(paper.to_json(), SinganParams().to_json());  // the defaults are the paper's

  Preset extra = load_preset("singan", "tiny");
  extra.params["unknown_knob"] = 1;
  EXPECT_THROW(SinganParams::from_preset(extra), Error);
  Preset missing = load_preset("singan", "tiny");
  missing.params.erase("iterations");
  EXPECT_THROW(SinganParams::from_preset(missing), Error);
  Preset wrong = load_preset("singan", "tiny");
  wrong.params["scales"] = 0;
  wrong.params["scale_factor"] = 1.5;
  EXPECT_THROW(SinganParams::from_preset(wrong), Error);
}

}  // namespace
}  // namespace atelier
