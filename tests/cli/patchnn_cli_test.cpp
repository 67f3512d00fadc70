// End-to-end: the instant mode through the real atelier-cli. `patch sample|retarget|analogy|
// paint`, `video-variations --method patchnn`, eval and bench, with the tiny preset on real
// media; bad inputs are refused by name with exit code 2 and leave nothing behind; Ctrl-C ends a
// job with exit code 3.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "atelier/image.h"
#include "atelier/video.h"
#include "cli_support.h"
#include "test_support.h"

namespace fs = std::filesystem;
using atelier::test::cli;
using atelier::test::result_of;
using atelier::test::TempDir;
using nlohmann::json;

namespace {

std::string image(const std::string& name) {
  return atelier::test::data_file("images/" + name);
}
std::string video(const std::string& name) {
  return atelier::test::data_file("video/" + name);
}

class PatchCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!atelier::test::method_built("patchnn")) GTEST_SKIP() << "patchnn is not built";
  }
  std::string file(const std::string& name) const { return dir_.file(name); }
  TempDir dir_{"patchnn-cli"};
};

// A list of pictures spread over a job array: each shard makes its lines' samples in a folder per
// picture, and a rerun skips the folders that are done.
TEST_F(PatchCli, SamplesAListOfPicturesShardByShardAndSkipsDoneOnes) {
  {
    std::ofstream list(file("list.txt"));
    list << image("coffee.png") << "\n"
         << image("starry_night.jpg") << "\n"
         << image("chelsea.png") << "\n";
  }
  auto sample = [&](const std::string& shard) {
    return cli({"patch", "sample", "--inputs", file("list.txt"), "--shard", shard, "--n", "2",
                "--size", "48", "--preset", "tiny", "--out", file("many"), "--threads", "1",
                "--json"});
  };
  const auto second = sample("1/2");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(result_of(second)["made"], json::array({"starry_night"}));
  EXPECT_TRUE(fs::exists(file("many/starry_night/sample_2.png")));
  EXPECT_FALSE(fs::exists(file("many/coffee")));
  const auto first = sample("0/2");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(result_of(first)["made"], json::array({"coffee", "chelsea"}));
  EXPECT_EQ(atelier::load_image(file("many/chelsea/sample_1.png")).width, 48);
  const auto again = sample("0/1");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(result_of(again)["skipped"].size(), 3u);
  EXPECT_TRUE(result_of(again)["made"].empty());
  // Asked for more samples, a folder is not done yet: it is made again.
  const auto more =
      cli({"patch", "sample", "--inputs", file("list.txt"), "--shard", "0/3", "--n", "3", "--size",
           "48", "--preset", "tiny", "--out", file("many"), "--threads", "1", "--json"});
  ASSERT_EQ(more.exit_code, 0) << more.err;
  EXPECT_EQ(result_of(more)["made"], json::array({"coffee"}));
  EXPECT_TRUE(fs::exists(file("many/coffee/sample_3.png")));
  // Without --inputs the picture stays required.
  const auto missing = cli({"patch", "sample", "--out", file("none")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("--image is required"), std::string::npos) << missing.err;
}

TEST_F(PatchCli, SampleWritesNPicturesOfTheAskedSizeWithProgress) {
  const auto r =
      cli({"patch", "sample", "--image", image("starry_night.jpg"), "--n", "2", "--size", "60x40",
           "--preset", "tiny", "--out", file("samples"), "--threads", "1", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json result = result_of(r);
  ASSERT_EQ(result["files"].size(), 2u);
  for (const auto& path : result["files"]) {
    const atelier::Image sample = atelier::load_image(path.get<std::string>());
    EXPECT_EQ(sample.width, 60);
    EXPECT_EQ(sample.height, 40);
  }
  EXPECT_TRUE(fs::exists(file("samples/sample_2.png")));
  // The 752x600 painting is larger than the tiny preset's max_size: a note says so (others may
  // follow: a sample that needed more noise).
  ASSERT_GE(result["notes"].size(), 1u);
  EXPECT_NE(result["notes"][0].get<std::string>().find("max_size"), std::string::npos);
  bool eta = false;
  for (const json& line : atelier::test::json_lines(r.out))
    eta |= line.value("event", "") == "progress" && line["eta_s"].get<double>() >= 0;
  EXPECT_TRUE(eta);
}

TEST_F(PatchCli, AnalogyOfTwoSizesWritesBothDirections) {
  const auto r = cli({"patch", "analogy", "--a", image("building.jpg"), "--b", image("fruits.jpg"),
                      "--preset", "tiny", "--out", file("pair"), "--threads", "1", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const atelier::Image a2b = atelier::load_image(file("pair/a2b.png"));
  const atelier::Image b2a = atelier::load_image(file("pair/b2a.png"));
  // building.jpg is 868x600 and fruits.jpg 512x480, each fitted into 64 px.
  EXPECT_EQ(a2b.width, 64);
  EXPECT_EQ(a2b.height, 44);
  EXPECT_EQ(b2a.width, 64);
  EXPECT_EQ(b2a.height, 60);
}

TEST_F(PatchCli, PaintAndRetargetWriteOnePicture) {
  const auto painted =
      cli({"patch", "paint", "--image", image("starry_night.jpg"), "--painting", image("brick.png"),
           "--preset", "tiny", "--out", file("paint.png"), "--threads", "1", "--json"});
  ASSERT_EQ(painted.exit_code, 0) << painted.err;
  EXPECT_EQ(atelier::load_image(file("paint.png")).width, 64);
  bool resized = false;
  const json result = result_of(painted);
  for (const auto& note : result["notes"])
    resized |= note.get<std::string>().find("brick.png") != std::string::npos;
  EXPECT_TRUE(resized) << painted.out;

  const auto retargeted =
      cli({"patch", "retarget", "--image", image("coffee.png"), "--size", "90x30", "--preset",
           "tiny", "--out", file("wide.png"), "--threads", "1"});
  ASSERT_EQ(retargeted.exit_code, 0) << retargeted.err;
  const atelier::Image wide = atelier::load_image(file("wide.png"));
  EXPECT_EQ(wide.width, 90);
  EXPECT_EQ(wide.height, 30);
}

TEST_F(PatchCli, BadInputsAreRefusedByNameAndLeaveNothing) {
  atelier::save_image(atelier::Image(4, 4, 3, 200), file("dot.png"));
  const auto small = cli(
      {"patch", "sample", "--image", file("dot.png"), "--preset", "tiny", "--out", file("never")});
  EXPECT_EQ(small.exit_code, 2) << small.err;
  EXPECT_NE(small.err.find("dot.png"), std::string::npos) << small.err;
  EXPECT_NE(small.err.find("patch"), std::string::npos) << small.err;
  EXPECT_FALSE(fs::exists(file("never")));

  { std::ofstream(file("fake.png")) << "not a picture"; }
  const auto fake = cli({"patch", "paint", "--image", image("coffee.png"), "--painting",
                         file("fake.png"), "--preset", "tiny", "--out", file("never.png")});
  EXPECT_EQ(fake.exit_code, 2) << fake.err;
  EXPECT_NE(fake.err.find("fake.png"), std::string::npos) << fake.err;
  EXPECT_FALSE(fs::exists(file("never.png")));

  const auto size = cli({"patch", "sample", "--image", image("coffee.png"), "--size", "big",
                         "--preset", "tiny", "--out", file("never")});
  EXPECT_EQ(size.exit_code, 1) << size.err;
  const auto preset = cli({"patch", "sample", "--image", image("coffee.png"), "--set",
                           "patch_size=4", "--out", file("never")});
  EXPECT_EQ(preset.exit_code, 2) << preset.err;
  EXPECT_NE(preset.err.find("patch_size"), std::string::npos) << preset.err;
  EXPECT_FALSE(fs::exists(file("never")));
}

TEST_F(PatchCli, CtrlCEndsAJobWithExitThreeAndNoFiles) {
  // The preview preset on a full-size photo runs long enough to be interrupted mid-way.
  const auto r =
      cli({"patch", "sample", "--image", image("starry_night.jpg"), "--n", "4", "--out",
           file("stopped"), "--threads", "1", "--json"},
          [](const std::string& line) { return line.find("\"progress\"") != std::string::npos; });
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_FALSE(fs::exists(file("stopped")));
}

TEST_F(PatchCli, VideoVariationsWithPatchnnWriteTheUsualFilesAndNoModel) {
  const auto r = cli({"video-variations", video("tree.avi"), "--method", "patchnn", "--n", "2",
                      "--preset", "tiny", "--frames", "6", "--size", "40", "--sample-frames", "8",
                      "--out", file("vars"), "--threads", "1", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json result = result_of(r);
  EXPECT_EQ(result["method"], "patchnn");
  ASSERT_EQ(result["variations"].size(), 4u);  // an MP4 and a GIF each
  for (const auto& path : result["variations"]) {
    const atelier::Video v = atelier::read_video(path.get<std::string>());
    EXPECT_EQ(v.frames.size(), 8u) << path;
    EXPECT_EQ(v.width(), 40) << path;
  }
  EXPECT_TRUE(fs::exists(result["contact_sheet"].get<std::string>()));
  EXPECT_EQ(atelier::read_video(result["input"].get<std::string>()).frames.size(), 6u);
  EXPECT_FALSE(fs::exists(file("vars/model.atl")));

  // Another method's option, and a one-frame clip.
  const auto foreign = cli({"video-variations", video("tree.avi"), "--method", "patchnn",
                            "--temperature", "2", "--out", file("foreign")});
  EXPECT_EQ(foreign.exit_code, 1) << foreign.err;
  if (atelier::test::method_built("videogen")) {  // else --temperature is no option at all
    EXPECT_NE(foreign.err.find("videogen"), std::string::npos) << foreign.err;
  }
  const auto one = cli({"video-variations", video("tree.avi"), "--method", "patchnn", "--frames",
                        "1", "--preset", "tiny", "--out", file("still")});
  EXPECT_EQ(one.exit_code, 2) << one.err;
  EXPECT_NE(one.err.find("--frames"), std::string::npos) << one.err;
  atelier::Video clip = atelier::read_video(video("tree.avi"));
  clip.frames.resize(1);
  atelier::write_video(clip, file("one_frame.mp4"));
  const auto still = cli({"video-variations", file("one_frame.mp4"), "--method", "patchnn",
                          "--preset", "tiny", "--out", file("still")});
  EXPECT_EQ(still.exit_code, 2) << still.err;
  EXPECT_NE(still.err.find("one_frame.mp4"), std::string::npos) << still.err;
  EXPECT_NE(still.err.find("1 frame"), std::string::npos) << still.err;
  EXPECT_FALSE(fs::exists(file("still")));
}

TEST_F(PatchCli, EvalMeasuresSamplesPairsAndClips) {
  const auto r = cli({"eval",
                      "patchnn",
                      "--image",
                      image("coffee.png"),
                      "--pair",
                      image("building.jpg"),
                      image("fruits.jpg"),
                      "--video",
                      video("vtest.avi"),
                      "--frames",
                      "6",
                      "--video-width",
                      "40",
                      "--samples",
                      "2",
                      "--preset",
                      "tiny",
                      "--threads",
                      "1",
                      "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json rows = result_of(r)["rows"];
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_GT(rows[0]["diversity"].get<double>(), 0.0);
  EXPECT_GT(rows[0]["swd_ratio"].get<double>(), 0.0);
  EXPECT_GT(rows[1]["structure_ab"].get<double>(), rows[1]["structure_b_vs_a"].get<double>());
  EXPECT_GT(rows[2]["motion_ratio"].get<double>(), 0.0);
  EXPECT_EQ(rows[2]["size"], "40x30 x 6 frames");
}

TEST_F(PatchCli, BenchTimesEveryLevel) {
  const auto r = cli({"bench", "patchnn", "--preset", "tiny", "--size", "64x48", "--repeats", "1",
                      "--threads", "1", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json b = result_of(r);
  ASSERT_GE(b["levels"].size(), 3u);
  EXPECT_EQ(b["levels"].back()["size"], json({64, 48}));
  EXPECT_GT(b["seconds"].get<double>(), 0.0);
  EXPECT_GT(b["swd_seconds"].get<double>(), 0.0);  // the sample's patch SWD, as eval measures it
  EXPECT_GT(b["peak_rss_mb"].get<double>(), 0.0);
}

}  // namespace
