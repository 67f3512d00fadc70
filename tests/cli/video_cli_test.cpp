// End-to-end: new videos from one video through the real atelier-cli. The one-click
// `video-variations` with the tiny preset on a real clip, then the step-by-step commands on the
// model it wrote, and the refusals that protect the user's files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

#include "atelier/image.h"
#include "atelier/model_file.h"
#include "atelier/video.h"
#include "cli_support.h"
#include "test_support.h"

namespace fs = std::filesystem;
using atelier::test::cli;
using atelier::test::result_of;
using atelier::test::TempDir;
using nlohmann::json;

namespace {

std::string tree() {
  return atelier::test::data_file("video/tree.avi");
}

class VideoCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>("video-cli");
    made_ = std::make_unique<atelier::test::ProcessResult>(
        cli({"video-variations", tree(), "--n", "2", "--preset", "tiny", "--frames", "6", "--out",
             dir_->file("out"), "--threads", "1", "--json"}));
  }
  static void TearDownTestSuite() {
    made_.reset();
    dir_.reset();
  }
  static std::string file(const std::string& name) { return dir_->file(name); }

  static std::unique_ptr<TempDir> dir_;
  static std::unique_ptr<atelier::test::ProcessResult> made_;
};
std::unique_ptr<TempDir> VideoCli::dir_;
std::unique_ptr<atelier::test::ProcessResult> VideoCli::made_;

TEST_F(VideoCli, OneClickWritesVariationsAContactSheetAndTheModel) {
  ASSERT_EQ(made_->exit_code, 0) << made_->err;
  const json r = result_of(*made_);
  EXPECT_EQ(r["folder"], file("out"));
  ASSERT_EQ(r["variations"].size(), 4u);  // an MP4 and a GIF each
  for (const auto& path : r["variations"]) {
    const atelier::Video v = atelier::read_video(path.get<std::string>());
    EXPECT_EQ(v.frames.size(), 6u) << path;
    EXPECT_EQ(v.width(), 24) << path;  // the tiny preset's max_size
  }
  EXPECT_TRUE(fs::exists(file("out/variation_1.mp4")));
  EXPECT_TRUE(fs::exists(file("out/variation_2.gif")));
  EXPECT_EQ(atelier::read_video(r["input"].get<std::string>()).frames.size(), 6u);
  // The contact sheet: the input and each variation as a row of 6 frames.
  const atelier::Image sheet = atelier::load_image(r["contact_sheet"].get<std::string>());
  EXPECT_EQ(sheet.width, 6 * 24 + 5 * 2);
  EXPECT_GT(sheet.height, 3 * 12);
  const atelier::ModelInfo info = atelier::inspect_model(r["model"].get<std::string>());
  EXPECT_EQ(info.method, "videogen");
  EXPECT_TRUE(info.finished);
  EXPECT_EQ(info.params["frames"], 6);
  // Progress events came before the result: the training's levels, with an ETA.
  const auto lines = atelier::test::json_lines(made_->out);
  bool progress = false;
  for (const auto& line : lines) progress |= line.value("event", "") == "progress";
  EXPECT_TRUE(progress);
}

TEST_F(VideoCli, StepByStepCommandsUseTheModel) {
  ASSERT_EQ(made_->exit_code, 0) << made_->err;
  const std::string model = file("out/model.atl");
  const auto sampled = cli(
      {"run", model, "sample", "--n", "2", "--frames", "10", "--out", file("samples"), "--json"});
  ASSERT_EQ(sampled.exit_code, 0) << sampled.err;
  EXPECT_EQ(result_of(sampled)["files"].size(), 4u);
  EXPECT_EQ(atelier::read_video(file("samples/sample_2.mp4")).frames.size(), 10u);

  const auto rebuilt = cli({"run", model, "reconstruct", "--out", file("rec.gif"), "--json"});
  ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
  EXPECT_EQ(atelier::read_video(file("rec.gif")).frames.size(), 6u);

  const auto evaluated = cli(
      {"eval", "videogen", model, "--video", tree(), "--samples", "2", "--threads", "1", "--json"});
  ASSERT_EQ(evaluated.exit_code, 0) << evaluated.err;
  const json e = result_of(evaluated);
  EXPECT_EQ(e["frames"], 6);
  EXPECT_GT(e["diversity"].get<double>(), 0.0);
  EXPECT_GT(e["motion_real"].get<double>(), 0.0);
  EXPECT_EQ(e["temperature"], 1.0);  // the tiny preset's sample_temperature
  EXPECT_EQ(e["layout"], 0.0);       // and sample_layout
  const auto negative = cli({"eval", "videogen", model, "--temperature", "-0.5", "--json"});
  EXPECT_EQ(negative.exit_code, 2) << negative.err;  // refused, not the model's default
  const auto below = cli({"eval", "videogen", model, "--layout", "-1", "--json"});
  EXPECT_EQ(below.exit_code, 2) << below.err;

  const auto trained =
      cli({"train", "videogen", "--video", tree(), "--start", "10", "--frames", "2", "--preset",
           "tiny", "--out", file("step.atl"), "--threads", "1", "--json"});
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  EXPECT_TRUE(result_of(trained)["finished"].get<bool>());
  // 2 frames, fewer than the tiny preset's coarsest level has: that level follows.
  EXPECT_EQ(atelier::inspect_model(file("step.atl")).params["min_frames"], 2);
}

TEST_F(VideoCli, ANonEmptyOutputFolderIsNotOverwritten) {
  ASSERT_EQ(made_->exit_code, 0) << made_->err;
  const auto before = fs::last_write_time(file("out/model.atl"));
  const auto again = cli({"video-variations", tree(), "--preset", "tiny", "--out", file("out")});
  EXPECT_EQ(again.exit_code, 1) << again.err;
  EXPECT_NE(again.err.find("--force"), std::string::npos) << again.err;
  EXPECT_EQ(fs::last_write_time(file("out/model.atl")), before);
}

TEST_F(VideoCli, CtrlCStopsAResumableRunThatResumeFinishes) {
  int progress_events = 0;
  const auto stopped =
      cli({"video-variations", tree(), "--n", "1", "--preset", "tiny", "--out", file("stop"),
           "--threads", "1", "--json"},
          [&](const std::string& line) {
            return line.find("\"progress\"") != std::string::npos && ++progress_events == 2;
          });
  ASSERT_EQ(stopped.exit_code, 3) << stopped.err;
  EXPECT_FALSE(result_of(stopped)["finished"].get<bool>());
  EXPECT_FALSE(atelier::inspect_model(file("stop/model.atl")).finished);
  EXPECT_FALSE(fs::exists(file("stop/variation_1.mp4")));

  const auto resumed =
      cli({"video-variations", tree(), "--n", "1", "--preset", "tiny", "--out", file("stop"),
           "--resume", file("stop/model.atl"), "--threads", "1", "--json"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_TRUE(atelier::inspect_model(file("stop/model.atl")).finished);
  EXPECT_TRUE(fs::exists(file("stop/variation_1.mp4")));
}

TEST_F(VideoCli, BadVideosAreRefusedByNameWithExitTwoAndNoOutput) {
  // A video with fewer frames than asked for (256, the most a clip may have; 5000 is refused as
  // an option out of range).
  const auto too_short = cli(
      {"video-variations", tree(), "--preset", "tiny", "--frames", "256", "--out", file("short")});
  EXPECT_EQ(too_short.exit_code, 2) << too_short.err;
  EXPECT_NE(too_short.err.find("tree.avi"), std::string::npos) << too_short.err;
  EXPECT_FALSE(fs::exists(file("short")));
  // A file that is not a video at all, and a truncated one.
  { std::ofstream(file("fake.mp4")) << "not a video"; }
  const auto fake =
      cli({"video-variations", file("fake.mp4"), "--preset", "tiny", "--out", file("fake_out")});
  EXPECT_EQ(fake.exit_code, 2) << fake.err;
  EXPECT_NE(fake.err.find("fake.mp4"), std::string::npos) << fake.err;
  EXPECT_FALSE(fs::exists(file("fake_out")));
  // A truncated copy of a real video: the frames that decode are used, or a clear refusal.
  {
    std::ifstream in(tree(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(file("cut.avi"), std::ios::binary) << bytes.substr(0, bytes.size() * 2 / 5);
  }
  const auto cut = cli({"video-variations", file("cut.avi"), "--n", "1", "--preset", "tiny",
                        "--frames", "5", "--out", file("cut_out"), "--threads", "1"});
  if (cut.exit_code == 0) {
    EXPECT_TRUE(fs::exists(file("cut_out/variation_1.mp4")));
  } else {
    EXPECT_EQ(cut.exit_code, 2) << cut.err;
    EXPECT_NE(cut.err.find("cut.avi"), std::string::npos) << cut.err;
    EXPECT_FALSE(fs::exists(file("cut_out")));
  }
  // A single image handed over as a video.
  const auto still =
      cli({"train", "videogen", "--video", atelier::test::data_file("images/brick.png"), "--preset",
           "tiny", "--out", file("still.atl")});
  EXPECT_EQ(still.exit_code, 2) << still.err;
  EXPECT_FALSE(fs::exists(file("still.atl")));
}

// Many clips over a job array: each shard makes its lines' folders; a rerun skips done ones.
TEST_F(VideoCli, InstantVariationsOfAListOfClipsShardByShard) {
  {
    std::ofstream list(file("clips.txt"));
    list << tree() << "\n# a comment\n" << atelier::test::data_file("video/vtest.avi") << "\n";
  }
  auto vary = [&](const std::string& shard) {
    return cli({"video-variations", "--method", "patchnn", "--inputs", file("clips.txt"), "--shard",
                shard, "--n", "1", "--frames", "6", "--size", "48", "--out", file("clips"),
                "--threads", "1", "--json"});
  };
  const auto second = vary("1/2");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(result_of(second)["made"], json::array({"vtest"}));
  EXPECT_TRUE(fs::exists(file("clips/vtest/contact_sheet.png")));
  EXPECT_EQ(atelier::read_video(file("clips/vtest/variation_1.mp4")).width(), 48);
  EXPECT_FALSE(fs::exists(file("clips/tree")));
  const auto all = vary("0/1");
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_EQ(result_of(all)["made"], json::array({"tree"}));
  EXPECT_EQ(result_of(all)["skipped"], json::array({"vtest"}));
  // Without --inputs the clip stays required, and not both.
  const auto missing = cli({"video-variations", "--method", "patchnn", "--out", file("none")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("VIDEO is required"), std::string::npos) << missing.err;
  const auto both =
      cli({"video-variations", tree(), "--inputs", file("clips.txt"), "--out", file("none")});
  EXPECT_NE(both.exit_code, 0);
  EXPECT_NE(both.err.find("VIDEO and --inputs"), std::string::npos) << both.err;
}

TEST(VideoBench, PrintsStepTimePerLevel) {
  const auto r = cli({"bench", "videogen", "--preset", "tiny", "--size", "24x16", "--steps", "1",
                      "--no-ceiling", "--threads", "1", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json b = result_of(r);
  EXPECT_EQ(b["method"], "videogen");
  ASSERT_EQ(b["scales"].size(), 3u);
  EXPECT_EQ(b["scales"][2]["frames"], 5);
  EXPECT_GT(b["scales"][2]["step_ms"].get<double>(), 0.0);
}

}  // namespace
