// videogen with the tiny preset on a real video: training through the VAE and GAN levels, its
// contract (progress, previews, stop and resume), the model file, sampling and evaluation.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <memory>

#include "atelier/error.h"
#include "atelier/model_file.h"
#include "atelier/videogen.h"
#include "core/model_archive.h"
#include "methods/videogen/networks.h"
#include "paper_steps.h"
#include "test_support.h"

namespace atelier {
namespace {

using test::TempDir;

Video training_clip() {
  // 32 px wide; the tiny preset shrinks it to its max_size (24) and keeps its first 5 frames.
  VideoReadOptions options;
  options.max_frames = 8;
  options.width = 32;
  return read_video(test::data_file("video/tree.avi"), options);
}

double mean_abs_difference(const Video& a, const Video& b) {
  EXPECT_EQ(a.frames.size(), b.frames.size());
  double sum = 0;
  std::size_t count = 0;
  for (std::size_t f = 0; f < a.frames.size() && f < b.frames.size(); ++f) {
    const auto& pa = a.frames[f].pixels;
    const auto& pb = b.frames[f].pixels;
    EXPECT_EQ(pa.size(), pb.size());
    for (std::size_t i = 0; i < pa.size() && i < pb.size(); ++i) sum += std::abs(pa[i] - pb[i]);
    count += pa.size();
  }
  return count ? sum / count : 0;
}

VideogenParams tiny() {
  return VideogenParams::from_preset(load_preset("videogen", "tiny"));
}

struct TrainingRun {
  TrainResult result;
  std::map<int, std::vector<double>> rec;  // reported reconstruction losses per level (1-based)
  std::map<int, std::vector<std::string>> loss_names;
  std::vector<Progress> progress;
  std::vector<Image> previews;
};

TrainingRun train(const std::string& out, const std::string& resume = "", int stop_after_steps = -1,
                  const Video& clip = training_clip()) {
  TrainingRun run;
  TrainOptions options;
  options.out = out;
  options.resume = resume;
  options.seed = 7;
  options.preview_every = 10;
  options.checkpoint_every_s = 0;
  options.compute = {"cpu", 1};  // ctest runs tests side by side
  Callbacks callbacks;
  callbacks.on_progress = [&](const Progress& p) {
    run.progress.push_back(p);
    std::vector<std::string> names;
    for (const auto& [name, value] : p.losses) {
      names.push_back(name);
      if (name == "rec") run.rec[p.scale].push_back(value);
    }
    run.loss_names[p.scale] = names;
  };
  callbacks.on_preview = [&](const Image& image) { run.previews.push_back(image); };
  int polls = 0;
  callbacks.should_stop = [&] { return stop_after_steps >= 0 && polls++ >= stop_after_steps; };
  run.result = train_videogen(clip, load_preset("videogen", "tiny"), options, callbacks);
  return run;
}

class VideogenTrained : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>("videogen-test");
    run_ = std::make_unique<TrainingRun>(train(dir_->file("tiny.atl")));
  }
  static void TearDownTestSuite() {
    run_.reset();
    dir_.reset();
  }
  static VideogenModel model() { return VideogenModel::load(run_->result.model_path, {"cpu", 1}); }

  static std::unique_ptr<TempDir> dir_;
  static std::unique_ptr<TrainingRun> run_;
};
std::unique_ptr<TempDir> VideogenTrained::dir_;
std::unique_ptr<TrainingRun> VideogenTrained::run_;

TEST_F(VideogenTrained, FinishesEveryLevelAndReports) {
  const VideogenParams p = tiny();
  const TrainResult& r = run_->result;
  EXPECT_TRUE(r.finished);
  const int gan_levels = p.levels - p.vae_levels;
  EXPECT_EQ(r.step, p.vae_levels * p.vae_iterations + gan_levels * p.iterations);
  ASSERT_FALSE(run_->progress.empty());
  const Progress& last = run_->progress.back();
  EXPECT_EQ(last.phase, "train");
  EXPECT_EQ(last.scale, p.levels);
  EXPECT_EQ(last.scales, p.levels);
  EXPECT_EQ(last.step, p.iterations);
  EXPECT_EQ(last.eta_s, 0);
  // VAE levels report reconstruction and KL; GAN levels the critic's losses too.
  EXPECT_EQ(run_->loss_names.at(1), (std::vector<std::string>{"rec", "kl"}));
  EXPECT_EQ(run_->loss_names.at(p.levels), (std::vector<std::string>{"d", "gp", "adv", "rec"}));
  // A preview every 10 steps of every level: a row of frames of a sample at that level's size; and
  // one early preview when 10 steps take over half a second (PreviewSchedule).
  const auto regular =
      static_cast<std::size_t>((p.vae_levels * p.vae_iterations + gan_levels * p.iterations) / 10);
  EXPECT_GE(run_->previews.size(), regular);
  EXPECT_LE(run_->previews.size(), regular + 1);
  const Image& preview = run_->previews.back();
  EXPECT_EQ(preview.width, p.frames * 24 + (p.frames - 1) * 2);  // frames side by side, 2-px gaps
}

TEST_F(VideogenTrained, ReconstructionLossFallsAndTheModelRebuildsTheClip) {
  for (const auto& [level, values] : run_->rec) {
    if (level > tiny().vae_levels) continue;  // a GAN level's rec loss also trades with adv
    ASSERT_GE(values.size(), 2u) << "level " << level;
    EXPECT_LT(values.back(), values.front()) << "level " << level;
  }
  const VideogenModel m = model();
  const Video real = m.training_clip();
  ASSERT_EQ(real.frames.size(), 5u);
  EXPECT_EQ(real.width(), 24);
  const Video rec = m.reconstruct();
  ASSERT_EQ(rec.frames.size(), real.frames.size());
  const double error = mean_abs_difference(rec, real);
  EXPECT_LT(error, 30.0);  // of 255
  // A coarser level rebuilds a smaller, shorter clip.
  const Video coarse = m.reconstruct(0);
  EXPECT_LT(coarse.width(), rec.width());
  EXPECT_LT(coarse.frames.size(), rec.frames.size());
  EXPECT_THROW(m.reconstruct(9), Error);
}

TEST_F(VideogenTrained, FileDescribesTheModel) {
  const VideogenParams p = tiny();
  const ModelInfo info = inspect_model(run_->result.model_path);
  EXPECT_EQ(info.method, "videogen");
  EXPECT_EQ(info.preset, "tiny");
  EXPECT_TRUE(info.finished);
  EXPECT_EQ(info.step, run_->result.step);
  EXPECT_EQ(info.params, load_preset("videogen", "tiny").params);
  EXPECT_FALSE(info.thumbnail.empty());
  EXPECT_EQ(info.state.at("trained_levels"), p.levels);

  const VideogenModel m = model();
  EXPECT_EQ(m.trained_levels(), p.levels);
  EXPECT_EQ(m.device(), "cpu");
  const auto levels = m.levels();
  ASSERT_EQ(levels.size(), static_cast<std::size_t>(p.levels));
  EXPECT_EQ(levels.front().frames, p.min_frames);
  EXPECT_EQ(levels.back().frames, p.frames);
  EXPECT_EQ(levels.back().width, 24);
  for (std::size_t k = 0; k < levels.size(); ++k) {
    EXPECT_EQ(levels[k].vae, static_cast<int>(k) < p.vae_levels);
    if (levels[k].vae) {
      EXPECT_EQ(levels[k].noise_amp, 0.0);
    } else {
      EXPECT_GT(levels[k].noise_amp, 0.0);
    }
    if (k > 0) {
      EXPECT_GT(levels[k].width, levels[k - 1].width);
      EXPECT_GE(levels[k].frames, levels[k - 1].frames);
    }
  }
}

TEST_F(VideogenTrained, SamplesAreSeededDiverseAndAnyLength) {
  const VideogenModel m = model();
  VideogenSampleOptions one;
  one.seed = 1;
  const Video a = m.sample(one);
  ASSERT_EQ(a.frames.size(), 5u);
  EXPECT_EQ(a.width(), 24);
  EXPECT_EQ(a.fps, m.training_clip().fps);
  EXPECT_EQ(a.frames.back().pixels, m.sample(one).frames.back().pixels);
  EXPECT_EQ(a.frames.back().pixels, model().sample(one).frames.back().pixels);  // file round trip
  VideogenSampleOptions two = one;
  two.seed = 2;
  EXPECT_GT(mean_abs_difference(a, m.sample(two)), 0.5);

  VideogenSampleOptions longer = one;
  longer.frames = 12;
  const Video long_clip = m.sample(longer);
  EXPECT_EQ(long_clip.frames.size(), 12u);
  EXPECT_EQ(long_clip.width(), 24);

  // Temperature scales the latent: 0 takes the mean; more spread, more variety between seeds.
  VideogenSampleOptions cold = one, cold2 = two;
  cold.temperature = cold2.temperature = 0;
  EXPECT_LT(mean_abs_difference(m.sample(cold), m.sample(cold2)),
            mean_abs_difference(a, m.sample(two)));

  // From the finest level on, a sample keeps the reconstruction's layout and motion.
  const Video rec = m.reconstruct();
  VideogenSampleOptions late = one;
  late.start_level = m.trained_levels() - 1;
  EXPECT_LT(mean_abs_difference(m.sample(late), rec), mean_abs_difference(a, rec));

  VideogenSampleOptions bad = one;
  bad.frames = 1;
  EXPECT_THROW(m.sample(bad), Error);
  bad = late;
  bad.frames = 9;  // a start from the real clip has its length
  EXPECT_THROW(m.sample(bad), Error);
  bad = one;
  bad.start_level = 5;
  EXPECT_THROW(m.sample(bad), Error);
}

TEST_F(VideogenTrained, EvaluationComparesSamplesWithTheClip) {
  VideogenEvalOptions options;
  options.samples = 3;
  options.swd.spatial.directions = 64;
  options.swd.spatial.max_patches = 1024;
  const VideogenEvalResult r = evaluate_videogen(run_->result.model_path, options, {"cpu", 1});
  EXPECT_EQ(r.width, 24);
  EXPECT_EQ(r.frames, 5);
  EXPECT_EQ(r.samples, 3);
  EXPECT_GT(r.swd_samples, 0.0);
  EXPECT_GT(r.swd_flipped, 0.0);
  EXPECT_DOUBLE_EQ(r.swd_ratio, r.swd_samples / r.swd_flipped);
  EXPECT_GT(r.frame_swd_samples, 0.0);
  EXPECT_GT(r.frame_swd_mirrored, 0.0);
  EXPECT_DOUBLE_EQ(r.frame_swd_ratio, r.frame_swd_samples / r.frame_swd_mirrored);
  EXPECT_GT(r.diversity, 0.0);
  EXPECT_GT(r.motion_real, 0.0);  // the tree moves
  EXPECT_DOUBLE_EQ(r.motion_ratio, r.motion_samples / r.motion_real);
  EXPECT_GT(r.rec_psnr, 12.0);
  // The clip's colours are the clip's own; the samples' are measured the same way.
  const ColourStats clip_colour =
      colour_stats(VideogenModel::load(run_->result.model_path, {"cpu", 1}).training_clip());
  EXPECT_DOUBLE_EQ(r.colour_real.brightness, clip_colour.brightness);
  EXPECT_DOUBLE_EQ(r.colour_real.saturation, clip_colour.saturation);
  EXPECT_GT(r.colour_samples.brightness, 0.0);
  EXPECT_LT(r.colour_samples.brightness, 1.0);
  EXPECT_GT(r.colour_samples.contrast, 0.0);

  // The same against the video file itself (read afresh, resized to the model's clip).
  const VideogenEvalResult file =
      evaluate_videogen(run_->result.model_path, options, {"cpu", 1}, training_clip());
  EXPECT_EQ(file.frames, 5);
  EXPECT_NEAR(file.motion_real, r.motion_real, 0.5 * r.motion_real);
  Video short_reference = training_clip();
  short_reference.frames.resize(2);
  EXPECT_THROW(evaluate_videogen(run_->result.model_path, options, {"cpu", 1}, short_reference),
               Error);
  options.samples = 1;
  EXPECT_THROW(evaluate_videogen(run_->result.model_path, options), Error);
}

TEST(Videogen, TakesSeveralCriticAndGeneratorStepsAnIterationAsThePaperPresetsDo) {
  test::expect_trains_with_paper_steps("videogen", [](const Preset& p, const TrainOptions& o) {
    return train_videogen(training_clip(), p, o, Callbacks());
  });
}

TEST(Videogen, BenchmarkTimesEveryLevelOfThePreset) {
  VideogenBenchOptions options;
  options.compute = {"cpu", 1};
  options.preset = "tiny";
  options.width = 24;
  options.height = 16;
  options.steps = 1;
  options.ceiling = false;
  const MultiScaleBenchResult r = bench_videogen(options);
  EXPECT_EQ(r.method, "videogen");
  const VideogenParams p = tiny();
  ASSERT_EQ(r.scales.size(), static_cast<std::size_t>(p.levels));
  EXPECT_EQ(r.scales.back().width, 24);
  EXPECT_EQ(r.scales.back().height, 16);
  EXPECT_EQ(r.scales.back().frames, p.frames);
  EXPECT_EQ(r.scales.front().iterations, p.vae_iterations);
  EXPECT_EQ(r.scales.back().iterations, p.iterations);
  for (const ScaleStepBench& s : r.scales) {
    EXPECT_GT(s.step_ms, 0.0);
    EXPECT_GT(s.gflop, 0.0);
  }
  // A GAN step (critic, penalty) costs more work than the last VAE step.
  EXPECT_GT(r.scales.back().gflop, r.scales[p.vae_levels - 1].gflop);
  EXPECT_GT(r.train_estimate_s, 0.0);
  EXPECT_GT(r.peak_rss_mb, 0.0);
}

TEST(Videogen, StopSavesAResumableFileAndResumeFinishesTheRun) {
  const VideogenParams p = tiny();
  const std::int64_t total =
      p.vae_levels * p.vae_iterations + (p.levels - p.vae_levels) * p.iterations;
  TempDir dir("videogen-resume");
  const int stop_at = p.vae_levels * p.vae_iterations + 5;  // into the first GAN level
  const TrainingRun stopped = train(dir.file("part.atl"), "", stop_at);
  EXPECT_FALSE(stopped.result.finished);
  EXPECT_EQ(stopped.result.step, stop_at);
  const ModelInfo part = inspect_model(dir.file("part.atl"));
  EXPECT_FALSE(part.finished);
  EXPECT_EQ(part.state.at("scale"), p.vae_levels);
  EXPECT_EQ(part.state.at("scale_step"), 5);
  // A stopped model can already be sampled, at the level it had reached.
  const VideogenModel partial = VideogenModel::load(dir.file("part.atl"), {"cpu", 1});
  EXPECT_EQ(partial.trained_levels(), p.vae_levels + 1);
  EXPECT_FALSE(partial.sample().empty());

  const TrainingRun resumed = train(dir.file("done.atl"), dir.file("part.atl"));
  EXPECT_TRUE(resumed.result.finished);
  EXPECT_EQ(resumed.result.step, total);
  ASSERT_FALSE(resumed.progress.empty());
  EXPECT_EQ(resumed.progress.front().scale, p.vae_levels + 1);
  EXPECT_EQ(resumed.progress.front().step, 6);
  EXPECT_TRUE(inspect_model(dir.file("done.atl")).finished);
  EXPECT_THROW(train(dir.file("again.atl"), dir.file("done.atl")), Error);

  // Stopping inside a VAE level resumes as well.
  const TrainingRun early = train(dir.file("early.atl"), "", 10);
  EXPECT_EQ(inspect_model(dir.file("early.atl")).state.at("scale"), 0);
  EXPECT_TRUE(train(dir.file("early_done.atl"), dir.file("early.atl")).result.finished);
}

TEST(Videogen, SamplesTakeTheModelsTemperatureAndLayoutUnlessAskedForOthers) {
  Preset preset = load_preset("videogen", "tiny");
  preset.params["sample_temperature"] = 0;  // the mean latent unless a caller asks for more
  preset.params["sample_layout"] = 1;       // around the clip's own latent, not the prior's
  preset.params["vae_iterations"] = 5;
  preset.params["iterations"] = 5;
  TempDir dir("videogen-temperature");
  TrainOptions options;
  options.out = dir.file("cold.atl");
  options.seed = 7;
  options.checkpoint_every_s = 0;
  options.compute = {"cpu", 1};
  ASSERT_TRUE(train_videogen(training_clip(), preset, options).finished);
  const VideogenModel m = VideogenModel::load(options.out, {"cpu", 1});
  EXPECT_EQ(m.params().sample_temperature, 0);
  EXPECT_EQ(m.resolved_temperature(-1), 0);
  EXPECT_EQ(m.resolved_temperature(1.5), 1.5);
  EXPECT_EQ(m.params().sample_layout, 1);
  EXPECT_EQ(m.resolved_layout(-1), 1);
  EXPECT_EQ(m.resolved_layout(0.25), 0.25);

  VideogenSampleOptions as_stored;  // temperature and layout left unset
  as_stored.seed = 3;
  VideogenSampleOptions cold = as_stored, warm = as_stored, prior = as_stored;
  cold.temperature = 0;
  cold.layout = 1;
  warm.temperature = 1;
  prior.layout = 0;  // the mean of the prior: a latent of zeros, not the clip's
  const Video sample = m.sample(as_stored);
  EXPECT_EQ(sample.frames.back().pixels, m.sample(cold).frames.back().pixels);
  EXPECT_NE(sample.frames.back().pixels, m.sample(warm).frames.back().pixels);
  EXPECT_NE(sample.frames.back().pixels, m.sample(prior).frames.back().pixels);

  VideogenEvalOptions eval;
  eval.samples = 2;
  const VideogenEvalResult stored = evaluate_videogen(options.out, eval, {"cpu", 1});
  EXPECT_EQ(stored.temperature, 0);
  EXPECT_EQ(stored.layout, 1);
  eval.temperature = 1.25;
  eval.layout = 0.5;
  const VideogenEvalResult asked = evaluate_videogen(options.out, eval, {"cpu", 1});
  EXPECT_EQ(asked.temperature, 1.25);
  EXPECT_EQ(asked.layout, 0.5);
}

TEST(Videogen, BadClipsGetClearErrorsAndNoFile) {
  TempDir dir("videogen-bad");
  TrainOptions options;
  options.out = dir.file("bad.atl");
  options.compute = {"cpu", 1};
  const Preset preset = load_preset("videogen", "tiny");
  Video short_clip = training_clip();
  short_clip.frames.resize(3);
  try {
    train_videogen(short_clip, preset, options);
    FAIL() << "a 3-frame clip was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput);
    EXPECT_NE(std::string(e.what()).find("3 frames"), std::string::npos) << e.what();
  }
  Video one_frame = training_clip();
  one_frame.frames.resize(1);
  EXPECT_THROW(train_videogen(one_frame, preset, options), Error);
  Video tiny_frames;
  for (int i = 0; i < 6; ++i) tiny_frames.frames.push_back(Image(12, 6, 3, 100));
  try {
    train_videogen(tiny_frames, preset, options);
    FAIL() << "12x6 frames were accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput);
    EXPECT_NE(std::string(e.what()).find("12x6"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(options.out));
}

TEST(VideoVariations, TrainSampleAndWriteInOneCallOrStopResumably) {
  TempDir dir("videogen-variations");
  VideoVariationsParams params;
  params.clip.video = test::data_file("video/tree.avi");
  params.preset = "tiny";
  params.out_dir = dir.file("out");
  params.n = 2;
  params.compute = {"cpu", 1};

  // Stopped at once: a resumable model and nothing else.
  Callbacks stop;
  stop.should_stop = [] { return true; };
  VideoVariationsResult stopped = make_video_variations(params, stop);
  EXPECT_FALSE(stopped.finished);
  EXPECT_TRUE(std::filesystem::exists(stopped.model));
  EXPECT_TRUE(stopped.variations.empty());
  EXPECT_FALSE(std::filesystem::exists(dir.file("out/variation_1.mp4")));

  params.resume = stopped.model;
  std::vector<Progress> generated;
  Callbacks callbacks;
  callbacks.on_progress = [&](const Progress& p) {
    if (p.phase == "generate") generated.push_back(p);
  };
  const VideoVariationsResult r = make_video_variations(params, callbacks);
  ASSERT_TRUE(r.finished);
  ASSERT_EQ(r.variations.size(), 2u);
  EXPECT_EQ(r.files.size(), 4u);  // MP4 and GIF each
  for (const std::string& f : r.files) EXPECT_TRUE(std::filesystem::exists(f)) << f;
  EXPECT_TRUE(std::filesystem::exists(r.input));
  EXPECT_EQ(load_image(r.contact_sheet).height, 3 * r.clip.height() + 2 * 2);  // input + 2 rows
  EXPECT_EQ(r.variations[0].width(), r.clip.width());
  EXPECT_EQ(r.variations[0].frames.size(), r.clip.frames.size());
  EXPECT_GT(mean_abs_difference(r.variations[0], r.variations[1]), 0.0);  // seeds differ
  ASSERT_EQ(generated.size(), 2u);
  EXPECT_EQ(generated.back().step, 2);
  EXPECT_EQ(generated.back().steps, 2);
}

TEST(VideoVariations, AClipTooShortIsRefusedByNameBeforeAnythingIsWritten) {
  TempDir dir("videogen-variations-bad");
  VideoVariationsParams params;
  params.clip.video = test::data_file("video/tree.avi");
  params.clip.start = 100000;
  params.preset = "tiny";
  params.out_dir = dir.file("out");
  try {
    make_video_variations(params);
    FAIL() << "a clip past the video's end was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput);
    EXPECT_NE(std::string(e.what()).find("tree.avi"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(params.out_dir));
}

TEST(Videogen, RejectsAFileOfAnotherMethod) {
  TempDir dir("videogen-foreign");
  RawModelArchive foreign;
  foreign.info.method = "singan";
  foreign.info.preset = "tiny";
  foreign.info.finished = true;
  write_raw_model_archive(dir.file("singan.atl"), foreign);
  try {
    VideogenModel::load(dir.file("singan.atl"));
    FAIL() << "a singan file loaded as videogen";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput);
    EXPECT_NE(std::string(e.what()).find("singan"), std::string::npos) << e.what();
  }
}

// How far in space one latent value reaches in the decoded clip: a plain 4-layer decoder sees
// 4 pixels to each side, a dilated one (1, 2, 4, then the tail) 8, so a 16-pixel frame's centre
// knows where both its borders are.
TEST(Videogen, DilatedVaeDecoderSeesAcrossTheCoarsestFrame) {
  VideogenParams p = tiny();
  p.layers = 4;
  p.batch_norm = false;  // a clip's own statistics would carry the poke to every voxel
  auto reach = [&](bool dilated) {
    p.vae_dilated = dilated;
    torch::manual_seed(3);
    videogen::VaeDecoder decoder(videogen::decoder_options(p));
    decoder->eval();
    torch::NoGradGuard no_grad;
    const auto latent = torch::zeros({1, p.latent_channels, 5, 16, 21});
    auto poked = latent.clone();
    poked[0][0][2][8][10] = 10.0;
    const auto change = (decoder->forward(poked) - decoder->forward(latent)).abs().sum({0, 1, 2});
    EXPECT_EQ(change.sizes(), torch::IntArrayRef({16, 21}));  // same size out
    int farthest = 0;
    for (int x = 0; x < 21; ++x) {
      if (change[8][x].item<double>() > 1e-6) farthest = std::max(farthest, std::abs(x - 10));
    }
    return farthest;
  };
  EXPECT_EQ(reach(false), 4);
  EXPECT_EQ(reach(true), 8);
}

// A plain decoder is blind to position: on a constant latent every voxel away from the borders
// gets the same colour. With coordinates it can paint the clip's layout from the same latent.
TEST(Videogen, VaeDecoderWithCoordinatesKnowsWhereInTheFrameItPaints) {
  VideogenParams p = tiny();
  p.layers = 3;  // reach 3 voxels: the frame's interior starts 3 voxels in
  auto interior_spread = [&](bool coordinates) {
    p.vae_coordinates = coordinates;
    torch::manual_seed(5);
    videogen::VaeDecoder decoder(videogen::decoder_options(p));
    decoder->eval();
    torch::NoGradGuard no_grad;
    const auto clip = decoder->forward(torch::zeros({1, p.latent_channels, 7, 12, 16}));
    EXPECT_EQ(clip.sizes(), torch::IntArrayRef({1, 3, 7, 12, 16}));
    const auto interior = clip.narrow(2, 3, 1).narrow(3, 3, 6).narrow(4, 3, 10);
    return (interior - interior.mean({3, 4}, true)).abs().max().item<double>();
  };
  EXPECT_LT(interior_spread(false), 1e-6);
  EXPECT_GT(interior_spread(true), 1e-3);
}

TEST(Videogen, ReplicatedTimeEdgesKeepAStillClipStillToItsEnds) {
  // The same still clip (every frame alike) through a refiner and the VAE decoder: with zeros
  // beyond the clip's ends the first and last frames differ from the middle; with the end
  // frames repeated, every frame comes out alike.
  auto spread_in_time = [](const torch::Tensor& clip) {
    return (clip - clip.mean(2, true)).abs().max().item<double>();
  };
  auto through_networks = [&](bool replicate) {
    VideogenParams p = tiny();
    p.replicate_time_padding = replicate;
    torch::manual_seed(3);
    videogen::LevelGenerator refiner(videogen::generator_options(p));
    videogen::VaeDecoder decoder(videogen::decoder_options(p));
    refiner->eval();
    decoder->eval();
    torch::NoGradGuard no_grad;
    const torch::Tensor still = torch::rand({1, 3, 1, 12, 16}).expand({1, 3, 7, 12, 16}) * 2 - 1;
    const torch::Tensor latent =
        torch::randn({1, p.latent_channels, 1, 6, 8}).expand({-1, -1, 7, -1, -1});
    const torch::Tensor refined = refiner->forward(still, torch::Tensor(), 0);
    EXPECT_EQ(refined.sizes(), still.sizes());
    return std::max(spread_in_time(refined), spread_in_time(decoder->forward(latent)));
  };
  EXPECT_GT(through_networks(false), 1e-3);
  EXPECT_LT(through_networks(true), 1e-5);
}

// The networks train on one clip at a time (BatchNorm's statistics are that clip's), and outside
// training they normalise each clip by its own statistics too: the running statistics average
// samples and reconstructions unlike the clip at hand.
TEST(Videogen, BlocksNormaliseEachClipOnItsOwnOutsideTrainingToo) {
  torch::manual_seed(7);
  videogen::Block3d block(3, 4, /*batch_norm=*/true, 0.2);
  const torch::Tensor clips =
      torch::randn({2, 3, 6, 5, 4}) * torch::tensor({0.5, 3.0}).view({2, 1, 1, 1, 1}) +
      torch::tensor({-1.0, 2.0}).view({2, 1, 1, 1, 1});
  block->train();
  std::vector<torch::Tensor> trained;
  for (int i = 0; i < 2; ++i) trained.push_back(block->forward(clips.narrow(0, i, 1)).detach());
  const torch::Tensor running_mean = block->norm->running_mean.clone();
  block->eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor both = block->forward(clips);
  for (int i = 0; i < 2; ++i) {
    EXPECT_LT((both.narrow(0, i, 1) - trained[i]).abs().max().item<double>(), 1e-5) << i;
  }
  EXPECT_TRUE(torch::equal(block->norm->running_mean, running_mean));
  // What the running statistics would have given.
  const torch::Tensor y = block->conv->forward(clips);
  const torch::Tensor by_running = torch::leaky_relu(block->norm->forward(y), 0.2);
  EXPECT_GT((by_running - both).abs().max().item<double>(), 0.1);
}

TEST(Videogen, PresetsAreReadStrictly) {
  for (const std::string size : {"tiny", "preview", "standard", "paper", "reference"}) {
    const Preset preset = load_preset("videogen", size);
    EXPECT_EQ(VideogenParams::from_preset(preset).to_json(), preset.params) << size;
  }
  const VideogenParams paper = VideogenParams::from_preset(load_preset("videogen", "paper"));
  EXPECT_EQ(paper.channels, 64);
  EXPECT_EQ(paper.latent_channels, 128);
  EXPECT_EQ(paper.vae_levels, 3);
  EXPECT_EQ(paper.frames, 13);
  Preset extra = load_preset("videogen", "tiny");
  extra.params["unknown_knob"] = 1;
  EXPECT_THROW(VideogenParams::from_preset(extra), Error);
  Preset wrong = load_preset("videogen", "tiny");
  wrong.params["vae_levels"] = 0;
  EXPECT_THROW(VideogenParams::from_preset(wrong), Error);
  wrong = load_preset("videogen", "tiny");
  wrong.params["min_frames"] = 9;  // more than frames
  EXPECT_THROW(VideogenParams::from_preset(wrong), Error);
  wrong = load_preset("videogen", "tiny");
  wrong.params["sample_temperature"] = -0.5;
  EXPECT_THROW(VideogenParams::from_preset(wrong), Error);
  wrong = load_preset("videogen", "tiny");
  wrong.params["sample_layout"] = 1.5;
  EXPECT_THROW(VideogenParams::from_preset(wrong), Error);
  // Files written before sample_temperature existed sample as they did then.
  Preset older = load_preset("videogen", "tiny");
  older.params.erase("sample_temperature");
  EXPECT_EQ(VideogenParams::from_preset(older).sample_temperature, 1.0);
  older.params.erase("sample_layout");  // likewise from the prior alone
  EXPECT_EQ(VideogenParams::from_preset(older).sample_layout, 0.0);
  // ... and before replicate_time_padding existed: zeros beyond the clip's ends.
  older.params.erase("replicate_time_padding");
  EXPECT_FALSE(VideogenParams::from_preset(older).replicate_time_padding);
  wrong = load_preset("videogen", "tiny");
  wrong.params["frames"] = 1;  // a still image, not a video
  wrong.params["min_frames"] = 1;
  EXPECT_THROW(VideogenParams::from_preset(wrong), Error);
}

}  // namespace
}  // namespace atelier
