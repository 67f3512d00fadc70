// End-to-end: `eval padain`, the Permuted AdaIN robustness report, through the real atelier-cli
// on the tiny preset: the JSON table, the text table, the plot, and bad input refused with exit 2,
// a message naming the option or the file, and no plot written.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "atelier/image.h"
#include "cli_support.h"
#include "test_support.h"

namespace fs = std::filesystem;
using atelier::test::cli;
using atelier::test::result_of;
using atelier::test::TempDir;
using nlohmann::json;

namespace {

class PadainCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!atelier::test::method_built("padain")) GTEST_SKIP() << "padain is not built";
  }
  std::string file(const std::string& name) const { return dir_.file(name); }
  TempDir dir_{"padain-cli"};
};

void expect_stats(const json& stats, double low, double high) {
  ASSERT_TRUE(stats.contains("mean")) << stats;
  EXPECT_GE(stats["mean"].get<double>(), low) << stats;
  EXPECT_LE(stats["mean"].get<double>(), high) << stats;
  EXPECT_GE(stats["std"].get<double>(), 0.0);
  EXPECT_EQ(stats["values"].size(), 2u) << "one value per seed";
}

TEST_F(PadainCli, MnistReportHasTheTableFieldsAndThePlot) {
  const auto r = cli({"eval", "padain", "--dataset", "mnist", "--preset", "tiny", "--seeds", "2",
                      "--p", "0.2", "--plot", file("plot.png"), "--threads", "1", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json result = result_of(r);
  EXPECT_EQ(result["dataset"], "mnist");
  EXPECT_EQ(result["seeds"], 2);
  ASSERT_EQ(result["corruptions"].size(), 10u);
  EXPECT_NE(result["ce_definition"].get<std::string>().find("baseline"), std::string::npos);
  for (const char* model : {"baseline", "padain"}) {
    SCOPED_TRACE(model);
    const json& m = result[model];
    expect_stats(m["clean_accuracy"], 0.4, 1.0);
    expect_stats(m["mean_corruption_error"], 0.0, 0.9);
    expect_stats(m["mce"], 0.3, 3.0);
    for (const auto& name : result["corruptions"]) {
      const json& c = m["corruptions"][name.get<std::string>()];
      expect_stats(c["error"], 0.0, 1.0);
      expect_stats(c["ce"], 0.0, 10.0);
    }
    ASSERT_EQ(m["accuracy_by_severity"].size(), 6u);
    expect_stats(m["cross_domain_accuracy"]["mnist-m"], 0.0, 1.0);
    expect_stats(m["cross_domain_accuracy"]["opencv-digits"], 0.0, 1.0);
  }
  EXPECT_DOUBLE_EQ(result["padain"]["p"].get<double>(), 0.2);
  EXPECT_NEAR(result["baseline"]["mce"]["mean"].get<double>(), 1.0, 1e-9);
  bool progress = false;
  for (const json& line : atelier::test::json_lines(r.out))
    progress |= line.value("event", "") == "progress" && line["phase"] == "train";
  EXPECT_TRUE(progress);
  const atelier::Image plot = atelier::load_image(file("plot.png"));
  EXPECT_EQ(plot.width, 640);
  EXPECT_EQ(plot.height, 420);
}

TEST_F(PadainCli, FashionReportPrintsTheTable) {
  const auto r = cli({"eval", "padain", "--dataset", "fashion", "--preset", "tiny", "--seeds", "1",
                      "--threads", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* words : {"clean accuracy", "mean corruption error", "mCE", "jpeg error",
                            "severity 5", "baseline (p = 0)", "PAdaIN (p = 0.01)"})
    EXPECT_NE(r.out.find(words), std::string::npos) << words << " not in:\n" << r.out;
  EXPECT_EQ(r.out.find("cross-domain"), std::string::npos) << "only for mnist";
}

TEST_F(PadainCli, BadInputEndsWithExitTwoNamingItAndWritesNothing) {
  const std::string plot = file("never.png");
  fs::create_directories(file("empty"));
  const auto empty = cli({"eval", "padain", "--dataset", "fashion", "--preset", "tiny", "--data",
                          file("empty"), "--plot", plot});
  EXPECT_EQ(empty.exit_code, 2) << empty.err;
  EXPECT_NE(empty.err.find("--data"), std::string::npos) << empty.err;
  EXPECT_NE(empty.err.find("empty"), std::string::npos) << empty.err;

  // A data folder without the Fashion-MNIST files: the missing file is named.
  fs::create_directories(file("partial/digits/mnist"));
  const auto missing = cli({"eval", "padain", "--dataset", "fashion", "--preset", "tiny", "--data",
                            file("partial"), "--plot", plot});
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
  EXPECT_NE(missing.err.find("fashion-mnist/train-images-idx3-ubyte.gz"), std::string::npos)
      << missing.err;

  const auto p = cli(
      {"eval", "padain", "--dataset", "mnist", "--preset", "tiny", "--p", "1.5", "--plot", plot});
  EXPECT_EQ(p.exit_code, 2) << p.err;
  EXPECT_NE(p.err.find("--p"), std::string::npos) << p.err;

  const auto name =
      cli({"eval", "padain", "--dataset", "cifar", "--preset", "tiny", "--plot", plot});
  EXPECT_EQ(name.exit_code, 2) << name.err;
  EXPECT_NE(name.err.find("cifar"), std::string::npos) << name.err;
  EXPECT_NE(name.err.find("fashion"), std::string::npos) << name.err;

  const auto set = cli({"eval", "padain", "--dataset", "mnist", "--preset", "tiny", "--set",
                        "epochs=0", "--plot", plot});
  EXPECT_EQ(set.exit_code, 2) << set.err;
  EXPECT_NE(set.err.find("epochs"), std::string::npos) << set.err;

  EXPECT_FALSE(fs::exists(plot));
}

TEST_F(PadainCli, CtrlCStopsWithExitThreeAndNoPlot) {
  const auto r = cli({"eval", "padain", "--dataset", "fashion", "--preset", "tiny", "--plot",
                      file("stopped.png"), "--threads", "1", "--json"},
                     [](const std::string& line) {
                       return line.find("\"phase\":\"train\"") != std::string::npos;
                     });
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_FALSE(fs::exists(file("stopped.png")));
}

}  // namespace
