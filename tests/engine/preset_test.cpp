// Presets: strict loading, listing, overrides, the strict params reader; and the progress clock.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "atelier/error.h"
#include "atelier/preset.h"
#include "core/progress_clock.h"
#include "expect_error.h"
#include "test_support.h"

namespace atelier {
namespace {

using nlohmann::json;
using test::expect_error;
using test::TempDir;

void write_text(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

json good_preset(const std::string& method = "singan", const std::string& size = "tiny") {
  return {{"method", method},
          {"size", size},
          {"description", "seconds, for tests"},
          {"params", {{"lr", 0.0005}, {"iters", 20}, {"name", "x"}, {"gan", {{"lambda", 0.1}}}}}};
}

class PresetTest : public ::testing::Test {
 protected:
  void SetUp() override { set_models_dir(dir.path().string()); }
  void TearDown() override { set_models_dir(""); }

  std::string put_text(const std::string& method, const std::string& size,
                       const std::string& text) {
    const std::string path = dir.file(method + "/" + size + ".json");
    write_text(path, text);
    return path;
  }
  std::string put(const std::string& method, const std::string& size, const json& j) {
    return put_text(method, size, j.dump(2));
  }

  TempDir dir{"atelier-preset-test"};
};

TEST_F(PresetTest, LoadsAGoodPresetByNameAndByPath) {
  const std::string path = put("singan", "tiny", good_preset());
  const Preset p = load_preset("singan", "tiny");
  EXPECT_EQ(p.method, "singan");
  EXPECT_EQ(p.size, "tiny");
  EXPECT_EQ(p.description, "seconds, for tests");
  EXPECT_EQ(p.path, path);
  EXPECT_EQ(p.params.at("iters"), 20);

  const Preset by_path = load_preset("singan", path);
  EXPECT_EQ(by_path.params, p.params);
}

TEST_F(PresetTest, ListsMethodsAndSizesInOrder) {
  for (const char* size : {"paper", "custom", "tiny", "standard", "alpha", "preview"})
    put("singan", size, good_preset("singan", size));
  put("analogy", "tiny", good_preset("analogy"));
  write_text(dir.file("singan/notes.txt"), "not a preset");
  EXPECT_EQ(list_methods(), (std::vector<std::string>{"analogy", "singan"}));
  EXPECT_EQ(list_presets("singan"),
            (std::vector<std::string>{"tiny", "preview", "standard", "paper", "alpha", "custom"}));
  EXPECT_TRUE(list_presets("nothing").empty());
}

TEST_F(PresetTest, RejectsUnknownTopLevelKey) {
  json j = good_preset();
  j["colour"] = "blue";
  const std::string path = put("singan", "tiny", j);
  expect_error([] { load_preset("singan", "tiny"); }, ErrorKind::BadInput, {path, "'colour'"});
}

TEST_F(PresetTest, RejectsMissingTopLevelKey) {
  for (const char* key : {"method", "size", "description", "params"}) {
    json j = good_preset();
    j.erase(key);
    const std::string path = put("singan", "tiny", j);
    expect_error([] { load_preset("singan", "tiny"); }, ErrorKind::BadInput,
                 {path, std::string("'") + key + "'"});
  }
}

TEST_F(PresetTest, RejectsWrongTypes) {
  json j = good_preset();
  j["description"] = 3;
  std::string path = put("singan", "tiny", j);
  expect_error([] { load_preset("singan", "tiny"); }, ErrorKind::BadInput, {path, "description"});
  j = good_preset();
  j["params"] = json::array({1, 2});
  path = put("singan", "tiny", j);
  expect_error([] { load_preset("singan", "tiny"); }, ErrorKind::BadInput, {path, "params"});
  path = put_text("singan", "tiny", "[1, 2, 3]");
  expect_error([] { load_preset("singan", "tiny"); }, ErrorKind::BadInput, {path, "object"});
}

TEST_F(PresetTest, RejectsBadJson) {
  const std::string path = put_text("singan", "tiny", "{\"method\": \"singan\", \"size\": ");
  expect_error([] { load_preset("singan", "tiny"); }, ErrorKind::BadInput, {path, "JSON"});
}

TEST_F(PresetTest, RejectsAnotherMethodsPreset) {
  const std::string path = put("singan", "tiny", good_preset("analogy"));
  expect_error([] { load_preset("singan", "tiny"); }, ErrorKind::BadInput,
               {path, "'analogy'", "'singan'"});
}

TEST_F(PresetTest, RejectsASizeThatDisagreesWithTheFileName) {
  const std::string path = put("singan", "tiny", good_preset("singan", "paper"));
  expect_error([] { load_preset("singan", "tiny"); }, ErrorKind::BadInput, {path, "paper"});
}

TEST_F(PresetTest, MissingPresetNamesTheAvailableOnes) {
  put("singan", "tiny", good_preset());
  put("singan", "paper", good_preset("singan", "paper"));
  expect_error([] { load_preset("singan", "huge"); }, ErrorKind::BadInput,
               {"huge.json", "tiny, paper"});
  expect_error([&] { load_preset("singan", dir.file("nowhere.json")); }, ErrorKind::BadInput,
               {"nowhere.json"});
}

TEST_F(PresetTest, OverridesTopLevelAndNestedValues) {
  put("singan", "tiny", good_preset());
  Preset p = load_preset("singan", "tiny");
  apply_overrides(p, {"lr=0.01", "gan.lambda=1", "iters=7", "name=123"});
  EXPECT_DOUBLE_EQ(p.params["lr"].get<double>(), 0.01);
  EXPECT_EQ(p.params["gan"]["lambda"], 1);
  EXPECT_EQ(p.params["iters"], 7);
  EXPECT_EQ(p.params["name"], "123");  // a string parameter keeps its text

  apply_overrides(p, {"lr=fast", "iters=[1,2]"});
  EXPECT_EQ(p.params["lr"], "fast");  // not JSON: taken as a string (the reader will object)
  EXPECT_EQ(p.params["iters"], json::array({1, 2}));
}

TEST_F(PresetTest, OverrideOfAnUnknownKeyIsAnError) {
  put("singan", "tiny", good_preset());
  Preset p = load_preset("singan", "tiny");
  const json before = p.params;
  expect_error([&] { apply_overrides(p, {"speed=3"}); }, ErrorKind::Usage, {"'speed'", p.path});
  expect_error([&] { apply_overrides(p, {"gan.mu=3"}); }, ErrorKind::Usage, {"'gan.mu'"});
  expect_error([&] { apply_overrides(p, {"lr.x=3"}); }, ErrorKind::Usage, {"'lr.x'"});
  expect_error([&] { apply_overrides(p, {"lr"}); }, ErrorKind::Usage, {"key=value"});
  EXPECT_EQ(p.params, before);
}

TEST_F(PresetTest, ModelsDirFollowsOverrideThenEnvironment) {
  EXPECT_EQ(models_dir(), dir.path().string());
  set_models_dir("");
  const char* old = std::getenv("ATELIER_MODELS_DIR");
  const std::string saved = old ? old : "";
  setenv("ATELIER_MODELS_DIR", "/somewhere/models", 1);
  EXPECT_EQ(models_dir(), "/somewhere/models");
  unsetenv("ATELIER_MODELS_DIR");
  const std::string fallback = models_dir();
  EXPECT_EQ(std::filesystem::path(fallback).filename(), "models");
  EXPECT_TRUE(std::filesystem::is_directory(fallback)) << fallback;
  if (old) setenv("ATELIER_MODELS_DIR", saved.c_str(), 1);
}

// The shipped presets (whatever exists so far) must pass the strict top-level checks.
TEST(ShippedPresets, AllLoad) {
  set_models_dir(ATELIER_TEST_MODELS_DIR);
  for (const std::string& method : list_methods()) {
    for (const std::string& size : list_presets(method)) {
      SCOPED_TRACE(method + "/" + size);
      const Preset p = load_preset(method, size);
      EXPECT_EQ(p.method, method);
      EXPECT_FALSE(p.description.empty());
    }
  }
  set_models_dir("");
}

TEST(ParamReader, ReadsEveryTypeAndNestedObjects) {
  const json params = {{"lr", 0.5},     {"iters", 3},         {"flag", true},
                       {"name", "abc"}, {"sizes", {1, 2, 3}}, {"gan", {{"lambda", 0.1}}},
                       {"whole", 2.0}};
  ParamReader r(params, "p.json");
  EXPECT_DOUBLE_EQ(r.get<double>("lr"), 0.5);
  EXPECT_EQ(r.get<int>("iters"), 3);
  EXPECT_DOUBLE_EQ(r.get<double>("iters"), 3.0);  // an integer is a fine double
  EXPECT_TRUE(r.get<bool>("flag"));
  EXPECT_EQ(r.get<std::string>("name"), "abc");
  EXPECT_EQ(r.get<std::vector<int>>("sizes"), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(r.get_or<int>("absent", 9), 9);
  EXPECT_DOUBLE_EQ(r.get<float>("whole"), 2.0f);
  ParamReader gan = r.child("gan");
  EXPECT_DOUBLE_EQ(gan.get<double>("lambda"), 0.1);
  gan.finish();
  r.finish();
}

TEST(ParamReader, MissingKeyNamesKeyAndFile) {
  const json params = {{"gan", {{"lambda", 0.1}}}};
  ParamReader r(params, "p.json");
  expect_error([&] { r.get<double>("lr"); }, ErrorKind::BadInput, {"p.json", "'lr'", "missing"});
  expect_error([&] { r.child("gan").get<double>("mu"); }, ErrorKind::BadInput,
               {"p.json", "'gan.mu'"});
}

TEST(ParamReader, UnknownKeysAreNamedOnFinish) {
  const json params = {{"lr", 0.5}, {"typo_a", 1}, {"typo_b", 2}, {"gan", {{"extra", 1}}}};
  ParamReader r(params, "p.json");
  r.get<double>("lr");
  ParamReader gan = r.child("gan");
  expect_error([&] { r.finish(); }, ErrorKind::BadInput, {"p.json", "'typo_a'", "'typo_b'"});
  expect_error([&] { gan.finish(); }, ErrorKind::BadInput, {"p.json", "'gan.extra'"});
}

TEST(ParamReader, WrongTypesAreErrors) {
  const json params = {{"s", "text"}, {"b", true},       {"f", 2.5},       {"big", 300},
                       {"neg", -1},   {"v", {1, "two"}}, {"o", {{"a", 1}}}};
  ParamReader r(params, "p.json");
  expect_error([&] { r.get<double>("s"); }, ErrorKind::BadInput, {"p.json", "'s'", "type"});
  expect_error([&] { r.get<int>("b"); }, ErrorKind::BadInput, {"'b'"});
  expect_error([&] { r.get<double>("b"); }, ErrorKind::BadInput, {"'b'"});
  expect_error([&] { r.get<int>("f"); }, ErrorKind::BadInput, {"'f'"});
  expect_error([&] { r.get<std::uint8_t>("big"); }, ErrorKind::BadInput, {"'big'"});
  expect_error([&] { r.get<unsigned>("neg"); }, ErrorKind::BadInput, {"'neg'"});
  expect_error([&] { r.get<std::vector<int>>("v"); }, ErrorKind::BadInput, {"'v'"});
  expect_error([&] { r.get<std::string>("o"); }, ErrorKind::BadInput, {"'o'"});
  expect_error([&] { r.child("f"); }, ErrorKind::BadInput, {"'f'", "object"});
  expect_error([&] { ParamReader(json::array(), "q.json"); }, ErrorKind::BadInput, {"q.json"});
}

// ---------------------------------------------------------------------------------------------
// ProgressClock, driven by a fake clock

struct FakeTime {
  double now = 100;
  ProgressClock::Now fn() {
    return [this] { return now; };
  }
};

TEST(ProgressClock, EtaWeighsStagesByTheirCost) {
  FakeTime t;
  // Stage 2 steps cost 4x stage 1 steps, and really take 4x as long: 0.01 s vs 0.04 s.
  ProgressClock clock({{"train", 1, 100, 1.0}, {"train", 2, 100, 4.0}}, 0, t.fn());
  Progress p = clock.update(0, 0);
  EXPECT_LT(p.eta_s, 0);  // nothing measured yet
  t.now += 0.5;
  p = clock.update(0, 50, {{"loss", 1.5}});
  EXPECT_NEAR(p.eta_s, (50 * 1 + 100 * 4) * 0.01, 1e-9);
  EXPECT_EQ(p.phase, "train");
  EXPECT_EQ(p.scale, 1);
  EXPECT_EQ(p.scales, 2);
  EXPECT_EQ(p.step, 50);
  EXPECT_EQ(p.steps, 100);
  ASSERT_EQ(p.losses.size(), 1u);
  EXPECT_DOUBLE_EQ(p.elapsed_s, 0.5);
  EXPECT_NEAR(clock.fraction_done(), 50.0 / 500.0, 1e-12);

  t.now += 0.5 + 50 * 0.04;  // the rest of stage 1, then 50 steps of stage 2
  p = clock.update(1, 50);
  EXPECT_EQ(p.scale, 2);
  EXPECT_NEAR(p.eta_s, 50 * 0.04, 1e-6);
  t.now += 50 * 0.04;
  p = clock.update(1, 100);
  EXPECT_EQ(p.eta_s, 0);
  EXPECT_DOUBLE_EQ(clock.fraction_done(), 1.0);
  EXPECT_NEAR(p.elapsed_s, 5.0, 1e-9);
}

TEST(ProgressClock, LearnsTheRealCostOfANewStage) {
  FakeTime t;
  // The cost model says stage 2 is 4x; it really is 8x (0.08 s per step).
  ProgressClock clock({{"a", 0, 100, 1.0}, {"b", 0, 100, 4.0}}, 0, t.fn());
  clock.update(0, 0);
  t.now += 1.0;
  clock.update(0, 100);
  t.now += 0.08;
  Progress p = clock.update(1, 1);
  const double truth_after_1 = 99 * 0.08;
  EXPECT_GT(p.eta_s, 0.4 * truth_after_1);  // the prior keeps one step from swinging it wildly
  for (int step = 2; step <= 60; ++step) {
    t.now += 0.08;
    p = clock.update(1, step);
  }
  EXPECT_NEAR(p.eta_s, 40 * 0.08, 0.15 * 40 * 0.08);
  EXPECT_EQ(p.phase, "b");
  EXPECT_EQ(p.scale, 0);
  EXPECT_EQ(p.scales, 0);
}

TEST(ProgressClock, ResumedJobMeasuresOnlyThisRun) {
  FakeTime t;
  ProgressClock clock({{"train", 1, 100, 1.0}, {"train", 2, 100, 4.0}}, 30.0, t.fn());
  Progress p = clock.update(1, 10);  // resumed mid-way through stage 2
  EXPECT_LT(p.eta_s, 0);
  EXPECT_DOUBLE_EQ(p.elapsed_s, 30.0);
  t.now += 0.4;
  p = clock.update(1, 20);  // 10 steps = 40 cost units in 0.4 s
  EXPECT_NEAR(p.eta_s, 80 * 4 * 0.01, 1e-9);
  EXPECT_DOUBLE_EQ(p.elapsed_s, 30.4);
  EXPECT_THROW(clock.update(2, 0), Error);
}

}  // namespace
}  // namespace atelier
