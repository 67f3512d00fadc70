// atelier-viewer end to end: tiny models trained with the real CLI, opened in the real viewer
// under a virtual X server, its --screenshot checked: exit code 0 and a picture in the window.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "atelier/image.h"
#include "atelier/patchnn.h"
#include "atelier/preset.h"
#include "atelier/singan.h"
#include "atelier/video.h"
#include "cli_support.h"
#include "process.h"
#include "test_support.h"
#include "viewer.h"

using atelier::test::cli;
using atelier::test::ProcessResult;
using atelier::test::TempDir;

namespace {

// A scripted viewer run takes seconds; one still running after this is stopped, and the test
// fails with what each of its threads was doing (before ctest's own limit kills the test blind).
constexpr int kViewerTimeout_ms = 120'000;

// Runs the viewer; without a display, inside xvfb-run (which passes the exit code through).
ProcessResult viewer(const std::vector<std::string>& args) {
  std::string program = ATELIER_VIEWER_PATH;
  std::vector<std::string> wrapped = args;
  if (!std::getenv("DISPLAY") && !std::string(ATELIER_XVFB_RUN).empty()) {
    program = ATELIER_XVFB_RUN;
    wrapped = {"-a", "-s", "-screen 0 1280x800x24", ATELIER_VIEWER_PATH};
    wrapped.insert(wrapped.end(), args.begin(), args.end());
  }
  const TempDir output("viewer-run");
  return atelier::test::wait_process(
      atelier::test::start_process(program, wrapped, output.file("out"), output.file("err")),
      kViewerTimeout_ms);
}

// Whether the CLI was built with `method` (asked once per method).
bool built(const std::string& method) {
  static std::map<std::string, bool> answers;
  const auto found = answers.find(method);
  if (found != answers.end()) return found->second;
  return answers[method] = atelier::test::method_built(method);
}

bool display_available() {
  return std::getenv("DISPLAY") || !std::string(ATELIER_XVFB_RUN).empty();
}

// The part of the 1100x720 window where the viewer draws the model's picture (its "Picture"
// window, below the small input pictures).
atelier::Image picture_area(const atelier::Image& shot) {
  const int left = 500, top = 140, right = 1080, bottom = 700;
  atelier::Image area(right - left, bottom - top, 3);
  for (int y = top; y < bottom; ++y)
    for (int x = left; x < right; ++x)
      for (int c = 0; c < 3; ++c) area.at(x - left, y - top)[c] = shot.at(x, y)[c];
  return area;
}

int distinct_colours(const atelier::Image& image) {
  std::set<std::tuple<int, int, int>> colours;
  for (int y = 0; y < image.height; ++y)
    for (int x = 0; x < image.width; ++x) {
      const std::uint8_t* p = image.at(x, y);
      colours.emplace(p[0], p[1], p[2]);
    }
  return static_cast<int>(colours.size());
}

class Viewer : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { dir_ = std::make_unique<TempDir>("viewer-test"); }
  static void TearDownTestSuite() { dir_.reset(); }

  void SetUp() override {
    if (!display_available()) GTEST_SKIP() << "no display and no xvfb-run";
  }

  static std::string file(const std::string& name) { return dir_->file(name); }

  // The tiny model of `method`, trained with the real CLI on first use (seconds on one thread);
  // ctest runs each test in its own process, so each trains only the models it opens.
  static std::string model(const std::string& method) {
    const std::string out = file(method + ".atl");
    if (std::filesystem::exists(out)) return out;
    const std::string media = ATELIER_DEMO_MEDIA_DIR;
    std::vector<std::string> inputs;
    if (method == "singan") {
      inputs = {"--image", media + "/coffee.png"};
    } else if (method == "analogy") {  // the pair must have one size: two 512x512 pictures
      inputs = {"--a",   media + "/astronaut.png",
                "--b",   atelier::test::data_file("images/brick.png"),
                "--set", "iterations=6"};
    } else if (method == "videogen") {
      inputs = {"--video", atelier::test::data_file("video/tree.avi"), "--frames", "6"};
    } else if (method == "masktransfer" || method == "disentangle") {
      inputs = {"--a", composite("train/A"), "--b", composite("train/B")};
    } else if (method == "oneshot") {
      inputs = {"--base", oneshot_base(), "--a-image", digits("test/00000.png")};
    }
    train(method, inputs, out);
    return out;
  }

  static void train(const std::string& method, const std::vector<std::string>& inputs,
                    const std::string& out) {
    std::vector<std::string> args = {"train", method};
    args.insert(args.end(), inputs.begin(), inputs.end());
    args.insert(args.end(), {"--preset", "tiny", "--out", out, "--threads", "1"});
    const ProcessResult trained = cli(args);
    EXPECT_EQ(trained.exit_code, 0) << method << ": " << trained.err;
  }

  // Two-domain pictures (digits A and clothes B on photo crops) for the transfer methods.
  static std::string composite(const std::string& sub) {
    if (!std::filesystem::exists(file("set"))) {
      const ProcessResult made = cli({"make-dataset", "composite", "--out", file("set"), "--n",
                                      "24", "--size", "32", "--data", atelier::test::data_dir()});
      EXPECT_EQ(made.exit_code, 0) << made.err;
    }
    return file("set/" + sub);
  }

  static std::string digits(const std::string& sub) {
    if (!std::filesystem::exists(file("digits"))) {
      const ProcessResult made = cli({"make-dataset", "mnistm", "--out", file("digits"), "--n",
                                      "40", "--size", "32", "--data", atelier::test::data_dir()});
      EXPECT_EQ(made.exit_code, 0) << made.err;
    }
    return file("digits/" + sub);
  }

  static std::string oneshot_base() {
    const std::string base = file("base.atl");
    if (!std::filesystem::exists(base)) train("oneshot", {"--b", digits("train")}, base);
    return base;
  }

  // Opens `method`'s model with `controls` (--set NAME=VALUE) and returns the screenshot.
  static atelier::Image screenshot(const std::string& method,
                                   const std::vector<std::string>& controls,
                                   const std::string& name) {
    const std::string shot = file(name + ".png");
    std::vector<std::string> args = {model(method), "--threads", "1", "--screenshot", shot};
    for (const std::string& control : controls) args.insert(args.end(), {"--set", control});
    const ProcessResult r = viewer(args);
    EXPECT_EQ(r.exit_code, 0) << method << ": " << r.err;
    if (r.exit_code != 0) return {};
    // Kept for a person to look at (ATELIER_VIEWER_SHOTS=folder).
    if (const char* keep = std::getenv("ATELIER_VIEWER_SHOTS"))
      atelier::save_image(atelier::load_image(shot), std::string(keep) + "/" + name + ".png");
    return atelier::load_image(shot);
  }

  // The controls each method needs to draw something: the transfers take two pictures.
  static std::vector<std::string> first_controls(const std::string& method) {
    if (method == "masktransfer" || method == "disentangle")
      return {"x=" + composite("test/A/00000.png"), "y=" + composite("test/B/00001.png")};
    return {};
  }

  static std::unique_ptr<TempDir> dir_;
};
std::unique_ptr<TempDir> Viewer::dir_;

TEST_F(Viewer, EveryKindOfModelShowsItsPicture) {
  for (const std::string method :
       {"singan", "analogy", "videogen", "masktransfer", "disentangle", "oneshot"}) {
    if (!built(method)) continue;
    SCOPED_TRACE(method);
    const atelier::Image shot = screenshot(method, first_controls(method), method);
    ASSERT_FALSE(shot.empty());
    EXPECT_EQ(shot.width, 1100);
    EXPECT_EQ(shot.height, 720);
    // A blank window has a handful of colours; a model's picture, drawn large, has many.
    EXPECT_GT(distinct_colours(picture_area(shot)), 40);
  }
}

TEST_F(Viewer, MovingAControlChangesThePicture) {
  struct Move {
    std::string method;
    std::string control;
  };
  const std::vector<Move> moves = {{"singan", "seed=7"},
                                   {"singan", "noise0=0"},  // the coarsest scale's noise off
                                   {"videogen", "seed=3"},
                                   {"analogy", "direction=b2a"},
                                   {"masktransfer", "separate=1"}};
  for (const Move& move : moves) {
    if (!built(move.method)) continue;
    SCOPED_TRACE(move.method + " " + move.control);
    std::vector<std::string> controls = first_controls(move.method);
    const atelier::Image before = screenshot(move.method, controls, move.method + "-default");
    controls.push_back(move.control);
    const atelier::Image after = screenshot(move.method, controls, move.method + "-moved");
    ASSERT_FALSE(before.empty());
    ASSERT_FALSE(after.empty());
    EXPECT_NE(picture_area(before).pixels, picture_area(after).pixels);
  }
}

TEST_F(Viewer, BadFilesAndControlsGetClearErrors) {
  const std::string not_a_model = file("notes.atl");
  {
    std::FILE* f = std::fopen(not_a_model.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("not a model\n", f);
    std::fclose(f);
  }
  const ProcessResult bad = viewer({not_a_model, "--screenshot", file("never.png")});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find(not_a_model), std::string::npos) << bad.err;

  const ProcessResult missing = viewer({file("missing.atl")});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("missing.atl"), std::string::npos) << missing.err;

  if (!built("singan")) return;
  const ProcessResult unknown = viewer({model("singan"), "--set", "colour=red"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("colour"), std::string::npos) << unknown.err;

  const ProcessResult no_value = viewer({model("singan"), "--set", "seed"});
  EXPECT_EQ(no_value.exit_code, 1);

  if (!built("disentangle")) return;
  const ProcessResult bad_picture =
      viewer({model("disentangle"), "--set", "x=" + not_a_model, "--screenshot", file("n.png")});
  EXPECT_EQ(bad_picture.exit_code, 2);
  EXPECT_NE(bad_picture.err.find(not_a_model), std::string::npos) << bad_picture.err;
}

TEST_F(Viewer, AnEngineErrorIsDrawnInRedAndSetsTheExitCode) {
  if (!built("singan")) GTEST_SKIP() << "singan is not built";
  const std::string shot = file("error.png");
  // The engine refuses samples under 8 px: a usage error, drawn in the window, not a crash.
  const ProcessResult r =
      viewer({model("singan"), "--set", "width=3", "--set", "height=3", "--screenshot", shot});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("3x3"), std::string::npos) << r.err;
  const atelier::Image window = atelier::load_image(shot);
  int red = 0;  // the message's pixels in the controls window (left of x = 480)
  for (int y = 0; y < window.height; ++y)
    for (int x = 0; x < 480; ++x) {
      const std::uint8_t* p = window.at(x, y);
      if (p[0] > 200 && p[1] < 130 && p[2] < 130) ++red;
    }
  EXPECT_GT(red, 100);
}

// A picture (no model file) opens the instant view: patchnn samples of it, the seed moves them.
TEST_F(Viewer, APictureOpensTheInstantPatchnnView) {
  const std::string chelsea = std::string(ATELIER_DEMO_MEDIA_DIR) + "/chelsea.png";
  const auto shoot = [&](const std::vector<std::string>& controls, const std::string& name) {
    const std::string shot = file(name + ".png");
    std::vector<std::string> args = {chelsea, "--threads", "1", "--screenshot", shot};
    for (const std::string& control : controls) args.insert(args.end(), {"--set", control});
    const ProcessResult r = viewer(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    if (r.exit_code != 0) return atelier::Image();
    if (const char* keep = std::getenv("ATELIER_VIEWER_SHOTS"))
      atelier::save_image(atelier::load_image(shot), std::string(keep) + "/" + name + ".png");
    return atelier::load_image(shot);
  };
  // The tiny preset (64 px): the same view as the default preset, in a fraction of a second.
  const atelier::Image before = shoot({"preset=tiny"}, "patchnn");
  const atelier::Image after = shoot({"preset=tiny", "seed=7"}, "patchnn-seed7");
  ASSERT_FALSE(before.empty());
  ASSERT_FALSE(after.empty());
  EXPECT_EQ(before.width, 1100);
  EXPECT_EQ(before.height, 720);
  EXPECT_GT(distinct_colours(picture_area(before)), 40);
  EXPECT_NE(picture_area(before).pixels, picture_area(after).pixels);

  const ProcessResult bad_preset = viewer({chelsea, "--set", "preset=huge"});
  EXPECT_EQ(bad_preset.exit_code, 1);
  EXPECT_NE(bad_preset.err.find("tiny"), std::string::npos) << bad_preset.err;

  // Named as a picture but not one: exit 2 naming the file.
  const std::string broken = file("broken.png");
  {
    std::FILE* f = std::fopen(broken.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("not a picture\n", f);
    std::fclose(f);
  }
  const ProcessResult bad = viewer({broken, "--screenshot", file("never.png")});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find(broken), std::string::npos) << bad.err;
}

// --save-gif: the seed walk of the current view as an animated GIF, read back with the engine.
TEST_F(Viewer, SaveGifWritesASeedWalk) {
  const std::string chelsea = std::string(ATELIER_DEMO_MEDIA_DIR) + "/chelsea.png";
  const std::string gif = file("patchnn-walk.gif");
  const ProcessResult r = viewer({chelsea, "--threads", "1", "--set", "preset=tiny", "--save-gif",
                                  gif, "--gif-frames", "5", "--screenshot", file("gif.png")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(gif), std::string::npos) << r.out;  // "saved FILE (5 frames, ...)"
  const atelier::Video walk = atelier::read_video(gif);
  // The size of the picture the view draws: the sample of the tiny preset.
  const atelier::Image sample =
      atelier::patchnn_sample(
          atelier::load_image(chelsea),
          atelier::PatchnnParams::from_preset(atelier::load_preset("patchnn", "tiny")))
          .image;
  EXPECT_EQ(walk.frames.size(), 5u);
  EXPECT_EQ(walk.width(), sample.width);
  EXPECT_EQ(walk.height(), sample.height);
  ASSERT_GT(walk.frames.size(), 1u);
  EXPECT_NE(walk.frames.front().pixels, walk.frames.back().pixels);  // it walks

  const ProcessResult no_folder = viewer(
      {chelsea, "--threads", "1", "--set", "preset=tiny", "--save-gif", file("missing/walk.gif")});
  EXPECT_NE(no_folder.exit_code, 0);
  EXPECT_NE(no_folder.err.find("missing"), std::string::npos) << no_folder.err;

  if (!built("singan")) return;
  const std::string singan_gif = file("singan-walk.gif");
  const ProcessResult s = viewer({model("singan"), "--threads", "1", "--set", "seed_b=5",
                                  "--save-gif", singan_gif, "--gif-frames", "4"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  const atelier::Video singan_walk = atelier::read_video(singan_gif);
  const atelier::SinganModel singan = atelier::SinganModel::load(model("singan"));
  EXPECT_EQ(singan_walk.frames.size(), 4u);
  EXPECT_EQ(singan_walk.width(), singan.width());
  EXPECT_EQ(singan_walk.height(), singan.height());
}

// A seed walk runs on a thread of its own: the window does not wait for it, and closing the
// window stops it after its current picture (no GIF written).
TEST_F(Viewer, ClosingTheWindowStopsASeedWalk) {
  const std::string chelsea = std::string(ATELIER_DEMO_MEDIA_DIR) + "/chelsea.png";
  const std::string gif = file("stopped.gif");
  const auto start = std::chrono::steady_clock::now();
  {
    auto view = atelier::viewer::open_model_view(chelsea, {});
    view->set_control("preset", "tiny");
    atelier::viewer::Viewer window(std::move(view), {});
    ASSERT_TRUE(window.save_gif(gif, 1000)) << window.gif_message();  // minutes of pictures
    EXPECT_TRUE(window.gif_running());
    EXPECT_FALSE(window.save_gif(gif, 4));  // one walk at a time
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  EXPECT_FALSE(std::filesystem::exists(gif));
}

// Files dropped on the window, in process (GLFW's drop callback hands its paths to this): a model
// file replaces the model, a picture goes to the model, anything else is a message naming it.
TEST_F(Viewer, DroppedFilesOpenModelsOrGetAMessage) {
  if (!built("singan") || !built("videogen")) GTEST_SKIP() << "singan or videogen is not built";
  atelier::viewer::Viewer window(atelier::viewer::open_model_view(model("singan"), {}), {});
  EXPECT_EQ(window.model().method, "singan");

  window.open_dropped(model("videogen"));
  EXPECT_EQ(window.model().method, "videogen");
  EXPECT_EQ(window.message(), "");

  const std::string notes = file("notes.txt");
  atelier::save_image(atelier::Image(4, 4, 3), file("picture.png"));
  {
    std::FILE* f = std::fopen(notes.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("not a model\n", f);
    std::fclose(f);
  }
  window.open_dropped(notes);
  EXPECT_EQ(window.model().method, "videogen");  // the model stays
  EXPECT_NE(window.message().find(notes), std::string::npos) << window.message();

  window.open_dropped(file("picture.png"));  // videogen takes no pictures
  EXPECT_NE(window.message().find("takes no pictures"), std::string::npos) << window.message();

  // A picture opens the instant view; a picture dropped on it becomes its source.
  const std::string chelsea = std::string(ATELIER_DEMO_MEDIA_DIR) + "/chelsea.png";
  auto instant = atelier::viewer::open_model_view(chelsea, {});
  instant->set_control("preset", "tiny");
  atelier::viewer::Viewer picture_window(std::move(instant), {});
  EXPECT_EQ(picture_window.model().method, "patchnn");
  picture_window.open_dropped(file("picture.png"));
  EXPECT_EQ(picture_window.message(), "");
  EXPECT_EQ(picture_window.model().path, file("picture.png"));

  if (!built("masktransfer")) return;
  window.open_dropped(model("masktransfer"));
  EXPECT_EQ(window.model().method, "masktransfer");
  window.open_dropped(file("picture.png"));  // picture X
  EXPECT_EQ(window.message(), "");
}

}  // namespace
