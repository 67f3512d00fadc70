// End-to-end: attribute transfer through the real atelier-cli. A small composite set (digits A,
// clothes B on photo crops, with the truth) is made once; each method trains its tiny preset on
// it, then every run operation, eval and bench are called as a user would.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "atelier/dataset.h"
#include "atelier/image.h"
#include "atelier/model_file.h"
#include "cli_support.h"
#include "test_support.h"

namespace fs = std::filesystem;
using atelier::test::cli;
using atelier::test::expect_image;
using atelier::test::json_lines;
using atelier::test::result_of;
using atelier::test::TempDir;
using nlohmann::json;

namespace {

class TransferCli : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>("transfer-cli");
    const auto made = cli({"make-dataset", "composite", "--out", dir_->file("set"), "--n", "24",
                           "--size", "32", "--data", atelier::test::data_dir(), "--json"});
    ASSERT_EQ(made.exit_code, 0) << made.err;
  }
  static void TearDownTestSuite() { dir_.reset(); }

  static std::string set(const std::string& sub) { return dir_->file("set/" + sub); }
  static std::string file(const std::string& name) { return dir_->file(name); }

  static std::unique_ptr<TempDir> dir_;
};
std::unique_ptr<TempDir> TransferCli::dir_;

TEST_P(TransferCli, TrainsRunsEveryOperationAndEvaluates) {
  const std::string method = GetParam();
  const std::string model = file(method + ".atl");
  const auto trained = cli({"train", method, "--a", set("train/A"), "--b", set("train/B"),
                            "--preset", "tiny", "--out", model, "--threads", "1", "--json"});
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  EXPECT_TRUE(result_of(trained)["finished"].get<bool>());
  EXPECT_EQ(atelier::inspect_model(model).method, method);

  const std::string a = set("test/A/00000.png"), b = set("test/B/00001.png");
  const std::vector<std::vector<std::string>> operations = {
      {"transfer", "--from", a, "--onto", b, "--attribute", "a"},
      {"transfer", "--from", b, "--onto", a},  // the attribute: the stronger code of --from
      {"remove", "--image", a},
      {"reconstruct", "--image", b},
      {"strength", "--image", a, "--attribute", "a", "--value", "1.5"},
  };
  int n = 0;
  for (std::vector<std::string> op : operations) {
    const std::string out = file(method + "-op" + std::to_string(n++) + ".png");
    std::vector<std::string> args = {"run", model};
    args.insert(args.end(), op.begin(), op.end());
    args.insert(args.end(), {"--out", out, "--json"});
    const auto r = cli(args);
    ASSERT_EQ(r.exit_code, 0) << op[0] << ": " << r.err;
    EXPECT_EQ(result_of(r)["out"], out);
    expect_image(out, 32, 32);
  }
  const std::string strip = file(method + "-strip.png");
  const auto interpolated =
      cli({"run", model, "interpolate", "--from", a, "--to", b, "--steps", "5", "--out", strip});
  ASSERT_EQ(interpolated.exit_code, 0) << interpolated.err;
  EXPECT_EQ(atelier::load_image(strip).height, 32);
  EXPECT_GE(atelier::load_image(strip).width, 5 * 32);
  if (method == "masktransfer") {
    const auto masked = cli({"run", model, "mask", "--image", a, "--out", file("mask.png")});
    ASSERT_EQ(masked.exit_code, 0) << masked.err;
    expect_image(file("mask.png"), 32, 32);
  }

  const auto evaluated =
      cli({"eval", method, model, "--a", set("test/A"), "--b", set("test/B"), "--truth",
           set("test/truth"), "--classifier-steps", "30", "--threads", "1", "--json"});
  ASSERT_EQ(evaluated.exit_code, 0) << evaluated.err;
  bool judge_progress = false;  // the judge's training shows progress like a training does
  for (const json& line : json_lines(evaluated.out)) {
    judge_progress |= line.value("event", "") == "progress" && line.value("phase", "") == "judge";
  }
  EXPECT_TRUE(judge_progress) << evaluated.out;
  const json e = result_of(evaluated);
  EXPECT_GT(e["pairs"].get<int>(), 0);
  for (const char* key : {"rec_psnr_a", "rec_psnr_b", "removal_psnr_a", "transfer_psnr_ab"}) {
    EXPECT_GT(e[key].get<double>(), 5.0) << key;
    EXPECT_LT(e[key].get<double>(), 60.0) << key;
  }
  for (const char* key : {"classifier_accuracy", "a_to_b_classified_a", "b_to_a_classified_b"}) {
    EXPECT_GE(e[key].get<double>(), 0.0) << key;
    EXPECT_LE(e[key].get<double>(), 1.0) << key;
  }
}

TEST_P(TransferCli, BenchPrintsStepTimeAndLatency) {
  const auto r = cli({"bench", GetParam(), "--preset", "tiny", "--steps", "2", "--repeats", "2",
                      "--threads", "1", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = result_of(r);
  EXPECT_GT(j["train_step_ms"].get<double>(), 0);
  ASSERT_EQ(j["latency"].size(), 2u);
  EXPECT_EQ(j["latency"][1]["size"], 128);
  EXPECT_GT(j["latency"][1]["generate_ms"].get<double>(), 0);
}

TEST_P(TransferCli, AnEmptyFolderIsRefusedByNameWithExitTwo) {
  fs::create_directories(file("empty"));
  const std::string model = file(GetParam() + "-never.atl");
  const auto r = cli({"train", GetParam(), "--a", file("empty"), "--b", set("train/B"), "--preset",
                      "tiny", "--out", model});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(file("empty")), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(model));
}

// The studio's galleries reach other processes as list files: --a and --b take them too. A
// list that names something else is refused by name and line, and no model is written.
TEST_P(TransferCli, TrainsOnListFilesAndRefusesABadOne) {
  const std::string a_list = file(GetParam() + "-a.txt"), b_list = file(GetParam() + "-b.txt");
  {
    std::ofstream a(a_list), b(b_list);
    for (const std::string& path : atelier::list_image_files(set("train/A"))) a << path << '\n';
    for (const std::string& path : atelier::list_image_files(set("train/B"))) b << path << '\n';
  }
  const std::string model = file(GetParam() + "-listed.atl");
  const auto trained = cli({"train", GetParam(), "--a", a_list, "--b", b_list, "--preset", "tiny",
                            "--out", model, "--threads", "1", "--json"});
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  EXPECT_TRUE(atelier::inspect_model(model).finished);

  const std::string bad = file(GetParam() + "-bad.txt");
  std::ofstream(bad) << set("train/A/00000.png") << "\n" << model << "\n";
  const std::string never = file(GetParam() + "-never-listed.atl");
  const auto refused = cli({"train", GetParam(), "--a", bad, "--b", b_list, "--preset", "tiny",
                            "--out", never, "--threads", "1"});
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_NE(refused.err.find(bad + ": line 2"), std::string::npos) << refused.err;
  EXPECT_FALSE(fs::exists(never));
}

INSTANTIATE_TEST_SUITE_P(Methods, TransferCli, ::testing::Values("disentangle", "masktransfer"));

}  // namespace
