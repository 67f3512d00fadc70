// End-to-end: the real atelier-cli on real media; exit codes, files and JSON output.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "atelier/model_file.h"
#include "cli_support.h"
#include "test_support.h"

namespace fs = std::filesystem;
using atelier::test::cli;
using atelier::test::cli_interrupted_after;
using atelier::test::json_lines;
using atelier::test::method_built;
using atelier::test::result_of;
using atelier::test::TempDir;
using nlohmann::json;

namespace {

// A small real photo for fast trainings.
std::string small_image(const TempDir& dir) {
  const std::string path = dir.file("chelsea_small.png");
  atelier::Image image = atelier::load_image(atelier::test::data_file("images/chelsea.png"));
  atelier::save_image(atelier::fit_within(image, 48), path);
  return path;
}

}  // namespace

TEST(Cli, InfoJsonDescribesTheMachine) {
  const auto r = cli({"info", "--json", "--threads", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json info = result_of(r);
  EXPECT_EQ(info["threads"], 2);
  EXPECT_EQ(info["device"], "cpu");
  EXPECT_FALSE(info["torch"].get<std::string>().empty());
  EXPECT_FALSE(info["blas"].get<std::string>().empty());
  EXPECT_FALSE(info["automatic_threads"].get<bool>());

  const json automatic = result_of(cli({"info", "--json"}));  // the default: automatic threads
  EXPECT_TRUE(automatic["automatic_threads"].get<bool>());
  EXPECT_GE(automatic["threads"].get<int>(), 1);
  EXPECT_LE(automatic["threads"].get<int>(), automatic["usable_cores"].get<int>());
  EXPECT_GE(automatic["others_load"].get<double>(), 0.0);
}

TEST(Cli, UsageErrorsExitWithOneAndBadValuesWithTwo) {
  EXPECT_EQ(cli({"no-such-command"}).exit_code, 1);
  EXPECT_EQ(cli({"bench", "load", "--method", "disentangle"}).exit_code, 1);  // not multi-scale
  EXPECT_EQ(cli({"info", "--device", "tpu"}).exit_code, 1);
  EXPECT_EQ(cli({"info", "--threads", "-3"}).exit_code, 2);  // a value out of its range
  EXPECT_EQ(cli({"inspect", "/no/such/model.atl"}).exit_code, 2);
}

TEST(Cli, InspectRejectsAForeignFileNamingIt) {
  TempDir dir;
  const std::string path = dir.file("not_a_model.atl");
  std::ofstream(path) << "this is a text file, not a model";
  const auto r = cli({"inspect", path});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(path), std::string::npos) << r.err;
  const auto missing = cli({"inspect", dir.file("missing.atl"), "--json"});
  EXPECT_EQ(missing.exit_code, 2);
  const auto events = json_lines(missing.out);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back()["event"], "error");
  EXPECT_EQ(events.back()["kind"], "bad_input");
}

TEST(Cli, MakesACompositeDataset) {
  TempDir dir;
  const auto r = cli({"make-dataset", "composite", "--out", dir.file("set"), "--n", "24", "--size",
                      "32", "--data", atelier::test::data_dir(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json summary = result_of(r);
  EXPECT_EQ(summary["train"], 24);
  EXPECT_TRUE(fs::exists(dir.path() / "set" / "manifest.json"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path() / "set" / "train" / "A"),
                          fs::directory_iterator()),
            24);
}

TEST(Cli, PresetsListsEveryMethodsSizes) {
  const auto r = cli({"presets", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json presets = result_of(r)["presets"];
  ASSERT_TRUE(presets.contains("singan"));
  std::vector<std::string> sizes;
  for (const auto& p : presets["singan"]) sizes.push_back(p["size"]);
  EXPECT_EQ(sizes, (std::vector<std::string>{"tiny", "preview", "standard", "paper", "reference"}));
}

TEST(Cli, TrainStopWithCtrlCResumeAndRun) {
  if (!method_built("singan")) GTEST_SKIP() << "singan is not built";
  TempDir dir;
  const std::string image = small_image(dir);
  const std::string model = dir.file("cat.atl");

  // Ctrl-C after the second progress event: a clean stop, exit 3, a resumable file.
  int progress_events = 0;
  const auto stopped =
      cli({"train", "singan", "--image", image, "--preset", "tiny", "--set", "iterations=12",
           "--out", model, "--threads", "2", "--json"},
          [&](const std::string& line) {
            return line.find("\"progress\"") != std::string::npos && ++progress_events == 2;
          });
  ASSERT_EQ(stopped.exit_code, 3) << stopped.err;
  const json stop_result = result_of(stopped);
  EXPECT_FALSE(stop_result["finished"].get<bool>());
  const atelier::ModelInfo partial = atelier::inspect_model(model);
  EXPECT_FALSE(partial.finished);
  EXPECT_EQ(partial.method, "singan");

  const auto resumed =
      cli({"train", "singan", "--image", image, "--preset", "tiny", "--set", "iterations=12",
           "--out", model, "--resume", model, "--threads", "2", "--json"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  const atelier::ModelInfo done = atelier::inspect_model(model);
  EXPECT_TRUE(done.finished);
  EXPECT_GT(done.step, partial.step);

  const auto inspected = cli({"inspect", model, "--json"});
  ASSERT_EQ(inspected.exit_code, 0);
  EXPECT_EQ(result_of(inspected)["method"], "singan");

  const std::string samples = dir.file("samples.png");
  const auto run = cli({"run", model, "sample", "--n", "3", "--out", samples, "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_FALSE(atelier::load_image(samples).empty());

  const auto eval = cli({"eval", "singan", model, "--samples", "2", "--json"});
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  const json scores = result_of(eval);
  EXPECT_GT(scores["swd_flipped"].get<double>(), 0.0);
  EXPECT_GT(scores["diversity"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(scores["swd_ratio"].get<double>(),
                   scores["swd_samples"].get<double>() / scores["swd_flipped"].get<double>());

  const auto bad_op = cli({"run", model, "teleport"});
  EXPECT_EQ(bad_op.exit_code, 1);
  EXPECT_NE(bad_op.err.find("sample"), std::string::npos) << "lists the operations: " << bad_op.err;
}

TEST(Cli, CtrlCEndsACommandThatIsNotAJobAtOnce) {
  // Only jobs (training, video-variations) poll for a clean stop; this bench would run for hours,
  // and the first Ctrl-C must end it (exit 130) rather than be swallowed. The delay only has to
  // outlast the process's start.
  const auto r =
      cli_interrupted_after({"bench", "core", "--repeats", "10000000", "--threads", "1"}, 3000);
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_EQ(r.out.find("GFLOP/s"), std::string::npos) << r.out;
}

TEST(Cli, BenchSinganReportsEveryScale) {
  if (!method_built("singan")) GTEST_SKIP() << "singan is not built";
  const auto r = cli({"bench", "singan", "--preset", "tiny", "--size", "40x30", "--steps", "1",
                      "--no-ceiling", "--threads", "1", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json bench = result_of(r);
  ASSERT_EQ(bench["scales"].size(), 3u);
  EXPECT_EQ(bench["scales"][2]["size"], json::array({40, 30}));
  EXPECT_GT(bench["achieved_gflops"].get<double>(), 0.0);
  EXPECT_GT(bench["peak_rss_mb"].get<double>(), 0.0);
}

TEST(Cli, AnalogyTrainsTranslatesAndEvaluates) {
  if (!method_built("analogy")) GTEST_SKIP() << "analogy is not built";
  TempDir dir;
  const std::string a = dir.file("a.png"), b = dir.file("b.png"), odd = dir.file("odd.png");
  auto photo = [](const std::string& name) {
    return atelier::load_image(atelier::test::data_file("images/" + name));
  };
  atelier::save_image(atelier::center_crop_square(photo("building.jpg"), 40), a);
  atelier::save_image(atelier::center_crop_square(photo("brick.png"), 40), b);
  atelier::save_image(atelier::fit_within(photo("brick.png"), 48), odd);
  const std::string model = dir.file("pair.atl");

  const auto mismatched =
      cli({"train", "analogy", "--a", a, "--b", odd, "--preset", "tiny", "--out", model});
  EXPECT_EQ(mismatched.exit_code, 2);
  EXPECT_NE(mismatched.err.find("one size"), std::string::npos) << mismatched.err;

  const auto trained = cli({"train", "analogy", "--a", a, "--b", b, "--preset", "tiny", "--set",
                            "iterations=6", "--out", model, "--threads", "2", "--json"});
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  for (const std::string op : {"a2b", "b2a"}) {
    const std::string out = dir.file(op + ".png");
    const auto r = cli({"run", model, op, "--inject", "1", "--out", out});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(atelier::load_image(out).width, 40);
  }
  const auto sample =
      cli({"run", model, "sample", "--domain", "b", "--n", "2", "--out", dir.file("samples.png")});
  EXPECT_EQ(sample.exit_code, 0) << sample.err;
  const auto paint =
      cli({"run", model, "paint", "--image", odd, "--to", "b", "--out", dir.file("paint.png")});
  EXPECT_EQ(paint.exit_code, 0) << paint.err;
  const auto eval = cli({"eval", "analogy", model, "--samples", "2", "--json"});
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  const json scores = result_of(eval);
  EXPECT_TRUE(scores.contains("structure_ab"));
  EXPECT_TRUE(scores.contains("structure_b_vs_a"));
  EXPECT_GT(scores["diversity_b"].get<double>(), 0.0);
}

TEST(Cli, TrainsAListOfInputsShardByShardAndSkipsFinishedOnes) {
  if (!method_built("singan")) GTEST_SKIP() << "singan is not built";
  TempDir dir;
  // Three small pictures in a folder beside the list, named relative to it.
  fs::create_directories(dir.file("pictures"));
  const atelier::Image photo =
      atelier::fit_within(atelier::load_image(atelier::test::data_file("images/chelsea.png")), 40);
  for (const char* name : {"one", "two", "three"})
    atelier::save_image(photo, dir.file(std::string("pictures/") + name + ".png"));
  {
    std::ofstream list(dir.file("list.txt"));
    list << "# one picture per line\npictures/one.png\n\npictures/two.png\npictures/three.png\n";
  }
  const std::string out = dir.file("models");
  auto train = [&](const std::string& shard) {
    return cli({"train", "singan", "--inputs", dir.file("list.txt"), "--shard", shard, "--preset",
                "tiny", "--set", "iterations=6", "--out", out, "--threads", "1", "--json"});
  };
  // Shard 1 of 2 takes the second input only.
  const auto second = train("1/2");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(result_of(second)["trained"], json::array({"two"}));
  EXPECT_TRUE(atelier::inspect_model(out + "/two.atl").finished);
  EXPECT_FALSE(fs::exists(out + "/one.atl"));
  // Shard 0 of 2 the others; then a rerun of everything skips what is finished.
  const auto first = train("0/2");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(result_of(first)["trained"], json::array({"one", "three"}));
  const auto again = train("0/1");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(result_of(again)["skipped"].size(), 3u);
  EXPECT_TRUE(result_of(again)["trained"].empty());

  // A line naming a missing picture fails alone, named with its line; the others still train.
  {
    std::ofstream list(dir.file("holes.txt"));
    list << "pictures/one.png\npictures/gone.png\n";
  }
  const auto holes = cli({"train", "singan", "--inputs", dir.file("holes.txt"), "--preset", "tiny",
                          "--set", "iterations=6", "--out", dir.file("more"), "--threads", "1"});
  EXPECT_EQ(holes.exit_code, 2);
  EXPECT_NE(holes.err.find("holes.txt line 2"), std::string::npos) << holes.err;
  EXPECT_TRUE(fs::exists(dir.file("more/one.atl")));

  // Two inputs that would write one file are refused before any training.
  {
    std::ofstream list(dir.file("twins.txt"));
    list << "pictures/one.png\n" << dir.file("pictures/one.png") << "\n";
  }
  const auto twins =
      cli({"train", "singan", "--inputs", dir.file("twins.txt"), "--out", dir.file("twins")});
  EXPECT_EQ(twins.exit_code, 2);
  EXPECT_NE(twins.err.find("lines 1 and 2 would both write one.atl"), std::string::npos)
      << twins.err;
  EXPECT_FALSE(fs::exists(dir.file("twins/one.atl")));
  const auto bad_shard = train("3/2");
  EXPECT_EQ(bad_shard.exit_code, 2);
  EXPECT_NE(bad_shard.err.find("--shard '3/2'"), std::string::npos) << bad_shard.err;
  // Without --inputs the picture stays required.
  const auto missing = cli({"train", "singan", "--out", dir.file("x.atl")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("--image is required"), std::string::npos) << missing.err;
}
