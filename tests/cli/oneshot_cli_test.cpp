// End-to-end: one-shot translation through the real atelier-cli. A small MNIST-M style set is
// made once; phase I trains on it, phase II on one MNIST-like picture, then every run
// operation, Ctrl-C with resume, eval and bench are called as a user would, and bad inputs are
// refused with exit 2 and nothing written.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "atelier/image.h"
#include "atelier/model_file.h"
#include "cli_support.h"
#include "test_support.h"

namespace fs = std::filesystem;
using atelier::test::cli;
using atelier::test::expect_image;
using atelier::test::result_of;
using atelier::test::TempDir;
using nlohmann::json;

namespace {

class OneshotCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!atelier::test::method_built("oneshot")) return;
    dir_ = std::make_unique<TempDir>("oneshot-cli");
    const auto made = cli({"make-dataset", "mnistm", "--out", file("set"), "--n", "40", "--size",
                           "16", "--data", atelier::test::data_dir(), "--json"});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    // The single A picture: a bright stroke on black, as an MNIST digit.
    atelier::Image a(16, 16, 3, 0);
    for (int y = 3; y < 13; ++y)
      for (int c = 0; c < 3; ++c) a.at(7 + y % 2, y)[c] = 255;
    atelier::save_image(a, file("a.png"));
    const auto base = cli({"train", "oneshot", "--b", file("set/train"), "--preset", "tiny",
                           "--out", file("base.atl"), "--threads", "1", "--json"});
    ASSERT_EQ(base.exit_code, 0) << base.err;
  }
  static void TearDownTestSuite() { dir_.reset(); }
  void SetUp() override {
    if (!atelier::test::method_built("oneshot")) GTEST_SKIP() << "oneshot is not built";
  }

  static std::string file(const std::string& name) { return dir_->file(name); }

  static std::unique_ptr<TempDir> dir_;
};
std::unique_ptr<TempDir> OneshotCli::dir_;

TEST_F(OneshotCli, PhaseTwoFromPhaseOneThenEveryOperation) {
  EXPECT_EQ(atelier::inspect_model(file("base.atl")).method, "oneshot");
  // Phase II takes the B folder phase I recorded.
  const std::string model = file("m.atl");
  const auto trained =
      cli({"train", "oneshot", "--base", file("base.atl"), "--a-image", file("a.png"), "--preset",
           "tiny", "--out", model, "--threads", "1", "--json"});
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  EXPECT_TRUE(result_of(trained)["finished"].get<bool>());

  const std::string b = file("set/test/00000.png");
  const std::vector<std::vector<std::string>> operations = {
      {"translate", "--image", file("a.png")},
      {"translate", "--image", b, "--from", "b"},
      {"reconstruct", "--image", file("a.png"), "--domain", "a"},
      {"reconstruct", "--image", b},
      {"cycle", "--image", file("a.png")},
      {"a-image"},
  };
  int n = 0;
  for (std::vector<std::string> op : operations) {
    const std::string out = file("op" + std::to_string(n++) + ".png");
    std::vector<std::string> args = {"run", model};
    args.insert(args.end(), op.begin(), op.end());
    args.insert(args.end(), {"--out", out, "--json"});
    const auto r = cli(args);
    ASSERT_EQ(r.exit_code, 0) << op[0] << ": " << r.err;
    EXPECT_EQ(result_of(r)["out"], out);
    expect_image(out, 16, 16);
  }
  // A phase I model has no A side: a plain message, nothing written.
  const auto no_a = cli(
      {"run", file("base.atl"), "translate", "--image", file("a.png"), "--out", file("never.png")});
  EXPECT_EQ(no_a.exit_code, 1);
  EXPECT_NE(no_a.err.find("phase II"), std::string::npos) << no_a.err;
  EXPECT_FALSE(fs::exists(file("never.png")));
}

TEST_F(OneshotCli, CtrlCStopsResumablyAndResumeFinishes) {
  const std::string model = file("stopped.atl");
  const auto stopped =
      cli({"train", "oneshot", "--b", file("set/train"), "--preset", "tiny", "--set",
           "base_steps=3000", "--out", model, "--threads", "1", "--json"},
          [](const std::string& line) { return line.find("\"progress\"") != std::string::npos; });
  ASSERT_EQ(stopped.exit_code, 3) << stopped.err;
  EXPECT_FALSE(result_of(stopped)["finished"].get<bool>());
  const atelier::ModelInfo partial = atelier::inspect_model(model);
  EXPECT_FALSE(partial.finished);
  EXPECT_LT(partial.step, 3000);

  const auto resumed =
      cli({"train", "oneshot", "--resume", model, "--out", model, "--threads", "1", "--json"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  const atelier::ModelInfo done = atelier::inspect_model(model);
  EXPECT_TRUE(done.finished);
  EXPECT_EQ(done.step, 3000);
}

TEST_F(OneshotCli, EvaluatesTheTableAndBenchmarks) {
  const auto r = cli({"eval",
                      "oneshot",
                      file("base.atl"),
                      "--b-train",
                      file("set/train"),
                      "--b-test",
                      file("set/test"),
                      "--preset",
                      "tiny",
                      "--runs",
                      "2",
                      "--test-digits",
                      "20",
                      "--classifier-steps",
                      "20",
                      "--variants",
                      "full,no-cycle",
                      "--threads",
                      "1",
                      "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json result = result_of(r);
  ASSERT_EQ(result["variants"].size(), 2u);
  EXPECT_EQ(result["variants"][0]["name"], "full");
  EXPECT_EQ(result["variants"][1]["name"], "no-cycle");
  EXPECT_EQ(result["variants"][0]["accuracy"].size(), 2u);
  EXPECT_EQ(result["a_indices"].size(), 2u);
  for (const auto& v : result["variants"]) {
    for (const char* key : {"mean", "domain_mean", "both_mean"}) {
      EXPECT_GE(v[key].get<double>(), 0.0) << key;
      EXPECT_LE(v[key].get<double>(), 1.0) << key;
    }
    EXPECT_EQ(v["domain"].size(), 2u);
    // A translation counted in both is counted in each.
    for (std::size_t i = 0; i < v["both"].size(); ++i) {
      EXPECT_LE(v["both"][i].get<double>(), v["accuracy"][i].get<double>());
      EXPECT_LE(v["both"][i].get<double>(), v["domain"][i].get<double>());
    }
  }
  for (const char* key : {"domain_judge_a_accuracy", "domain_judge_b_accuracy",
                          "b_autoencoder_accuracy", "b_autoencoder_domain"}) {
    EXPECT_GE(result[key].get<double>(), 0.0) << key;
    EXPECT_LE(result[key].get<double>(), 1.0) << key;
  }
  const auto unknown = cli({"eval", "oneshot", file("base.atl"), "--b-train", file("set/train"),
                            "--b-test", file("set/test"), "--variants", "full,nothing"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("nothing"), std::string::npos) << unknown.err;

  const auto bench = cli({"bench", "oneshot", "--preset", "tiny", "--steps", "2", "--repeats", "3",
                          "--threads", "1", "--json"});
  ASSERT_EQ(bench.exit_code, 0) << bench.err;
  const json b = result_of(bench);
  EXPECT_GT(b["base_step_ms"].get<double>(), 0);
  EXPECT_GT(b["translation_step_ms"].get<double>(), 0);
  EXPECT_GT(b["translate_ms"].get<double>(), 0);
}

TEST_F(OneshotCli, BadInputsExitTwoNamingTheFileAndWriteNothing) {
  fs::create_directories(file("empty"));
  fs::create_directories(file("mixed"));
  atelier::save_image(atelier::Image(16, 16, 3, 20), file("mixed/a.png"));
  atelier::save_image(atelier::Image(24, 16, 3, 20), file("mixed/b.png"));
  std::ofstream(file("not-an-image.png")) << "this is text, not a picture";
  const std::string out = file("bad.atl");
  struct Case {
    std::vector<std::string> args;
    std::string named;
  };
  const std::vector<Case> cases = {
      {{"train", "oneshot", "--b", file("empty")}, file("empty")},
      {{"train", "oneshot", "--b", file("mixed")}, "mixed sizes"},
      {{"train", "oneshot", "--base", file("base.atl"), "--a-image", file("not-an-image.png")},
       file("not-an-image.png")},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = c.args;
    args.insert(args.end(), {"--preset", "tiny", "--out", out, "--threads", "1"});
    const auto r = cli(args);
    SCOPED_TRACE(c.named);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(c.named), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out));
  }
  // A phase I model of another method (a valid model file of disentangle).
  if (atelier::test::method_built("disentangle")) {
    const auto composite = cli({"make-dataset", "composite", "--out", file("comp"), "--n", "16",
                                "--size", "32", "--data", atelier::test::data_dir()});
    ASSERT_EQ(composite.exit_code, 0) << composite.err;
    const auto other = cli({"train", "disentangle", "--a", file("comp/train/A"), "--b",
                            file("comp/train/B"), "--preset", "tiny", "--set", "steps=2", "--set",
                            "self_check_steps=0", "--out", file("dis.atl"), "--threads", "1"});
    ASSERT_EQ(other.exit_code, 0) << other.err;
    const auto r = cli({"train", "oneshot", "--base", file("dis.atl"), "--a-image", file("a.png"),
                        "--preset", "tiny", "--out", out, "--threads", "1"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(file("dis.atl")), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("disentangle"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out));
  }
}

}  // namespace
