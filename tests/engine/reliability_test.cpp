// Bad inputs the engine's readers and writers meet: JSON nested without end, names that are not
// UTF-8, named pipes given as files, outputs that are inputs or folders, memory caps, diverging
// losses, and saves that must leave no temporary file behind.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <random>

#include "atelier/error.h"
#include "atelier/file_checks.h"
#include "atelier/image.h"
#include "atelier/json_text.h"
#include "atelier/preset.h"
#include "core/scale_loop.h"
#include "core/training_failure.h"
#include "io/atomic_file.h"
#include "io/memory_budget.h"
#include "test_support.h"

namespace fs = std::filesystem;
using atelier::Error;
using atelier::ErrorKind;
using atelier::test::TempDir;

namespace {

// The error `f` throws (a test failure when it throws none or another type).
template <class F>
Error error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no atelier::Error was thrown";
  return Error(ErrorKind::Internal, "none");
}

std::string nested_arrays(int depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Files of `dir` whose names hold ".tmp" (what an atomic save may leave).
int temporary_files(const fs::path& dir) {
  int n = 0;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().filename().string().find(".tmp") != std::string::npos) ++n;
  return n;
}

class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old, had_ = true;
    ::setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (had_)
      ::setenv(name_, old_.c_str(), 1);
    else
      ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::string old_;
  bool had_ = false;
};

}  // namespace

TEST(JsonText, RefusesNestingBeyondTheLimitWithoutOverflowingTheStack) {
  const Error deep = error_of([] { atelier::parse_json_text(nested_arrays(200000), "deep.json"); });
  EXPECT_EQ(deep.kind(), ErrorKind::BadInput);
  EXPECT_NE(std::string(deep.what()).find("deep.json"), std::string::npos) << deep.what();
  EXPECT_NE(std::string(deep.what()).find("nested more than"), std::string::npos) << deep.what();

  EXPECT_NO_THROW(atelier::parse_json_text(nested_arrays(atelier::kMaxJsonDepth - 1), "ok"));
  EXPECT_THROW(atelier::parse_json_text(nested_arrays(atelier::kMaxJsonDepth + 1), "x"), Error);
  EXPECT_FALSE(atelier::try_parse_json_text(nested_arrays(200000)).has_value());
  EXPECT_TRUE(atelier::try_parse_json_text("{\"a\": [1, 2]}").has_value());
}

TEST(JsonText, SaysWhatIsWrongInPlainWords) {
  const Error overflow = error_of([] { atelier::parse_json_text("{\"x\": 1e400}", "p.json"); });
  EXPECT_EQ(overflow.kind(), ErrorKind::BadInput);
  const std::string text = overflow.what();
  EXPECT_EQ(text.find("[json.exception"), std::string::npos) << text;
  EXPECT_NE(text.find("p.json: bad JSON"), std::string::npos) << text;
  EXPECT_NE(text.find("1e400"), std::string::npos) << text;
}

TEST(JsonText, WritesNamesThatAreNotUtf8WithoutThrowing) {
  const nlohmann::json value = {{"path", std::string("bad\xff\xfe name.atl")}};
  EXPECT_THROW((void)value.dump(), nlohmann::json::exception);  // what the program used to do
  std::string text;
  ASSERT_NO_THROW(text = atelier::json_text(value));
  EXPECT_NE(text.find("bad\xEF\xBF\xBD"), std::string::npos) << text;  // U+FFFD
  EXPECT_NE(text.find(" name.atl"), std::string::npos) << text;
}

TEST(Presets, ADeeplyNestedPresetFileIsRefusedByName) {
  TempDir dir;
  const std::string path = dir.file("deep.json");
  write_text(path, "{\"method\": \"singan\", \"params\": " + nested_arrays(200000) + "}");
  const Error e = error_of([&] { atelier::load_preset("singan", path); });
  EXPECT_EQ(e.kind(), ErrorKind::BadInput);
  EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
}

TEST(Presets, ADeeplyNestedOverrideIsNotParsedAsJson) {
  atelier::Preset preset = atelier::load_preset("singan", "tiny");
  ASSERT_TRUE(preset.params.contains("lr_g"));
  // Too deep to be JSON: kept as the text it is, which the params' reader then refuses by type.
  ASSERT_NO_THROW(atelier::apply_overrides(preset, {"lr_g=" + nested_arrays(200000)}));
  EXPECT_TRUE(preset.params["lr_g"].is_string());
}

TEST(FileChecks, ANamedPipeIsRefusedAtOnceInsteadOfWaitingForAWriter) {
  TempDir dir;
  const std::string fifo = dir.file("clip.mp4");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto start = std::chrono::steady_clock::now();
  const Error e = error_of([&] { atelier::require_regular_file(fifo, "a video"); });
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(e.kind(), ErrorKind::BadInput);
  EXPECT_NE(std::string(e.what()).find("named pipe"), std::string::npos) << e.what();

  const Error folder =
      error_of([&] { atelier::require_regular_file(dir.path().string(), "a video"); });
  EXPECT_NE(std::string(folder.what()).find("is a folder"), std::string::npos) << folder.what();
  const Error missing = error_of([&] { atelier::require_regular_file(dir.file("none.png"), "x"); });
  EXPECT_NE(std::string(missing.what()).find("no such file"), std::string::npos);
}

TEST(FileChecks, AnOutputThatIsAnInputIsRefusedUnderAnySpelling) {
  TempDir dir;
  const std::string picture = dir.file("pic.png");
  write_text(picture, "not really a picture");
  const std::vector<atelier::NamedPath> inputs = {{"--image", picture}};

  const Error same = error_of([&] { atelier::check_output_file("--out", picture, inputs); });
  EXPECT_EQ(same.kind(), ErrorKind::BadInput);
  EXPECT_NE(std::string(same.what()).find("--image"), std::string::npos) << same.what();

  const std::string other_spelling = (dir.path() / "." / "pic.png").string();
  EXPECT_THROW(atelier::check_output_file("--out", other_spelling, inputs), Error);
  const std::string link = dir.file("link.png");
  ASSERT_EQ(::link(picture.c_str(), link.c_str()), 0);  // a hard link is the same file
  EXPECT_THROW(atelier::check_output_file("--out", link, inputs), Error);

  EXPECT_NO_THROW(atelier::check_output_file("--out", dir.file("model.atl"), inputs));
}

TEST(FileChecks, OutputFoldersAndFilesAreCheckedBeforeTheWork) {
  TempDir dir;
  const std::string file = dir.file("a_file");
  write_text(file, "x");

  const Error folder = error_of([&] { atelier::check_output_file("--out", dir.path().string()); });
  EXPECT_NE(std::string(folder.what()).find("is a folder"), std::string::npos) << folder.what();
  const Error missing =
      error_of([&] { atelier::check_output_file("--out", dir.file("no/such/model.atl")); });
  EXPECT_NE(std::string(missing.what()).find("does not exist"), std::string::npos)
      << missing.what();
  const Error under_file =
      error_of([&] { atelier::check_output_file("--out", file + "/model.atl"); });
  EXPECT_NE(std::string(under_file.what()).find("not a folder"), std::string::npos)
      << under_file.what();

  // A folder output may be created with the folders above it, but never under a file.
  EXPECT_NO_THROW(atelier::check_output_folder("--out", dir.file("new/deeper/samples")));
  const Error folder_under_file =
      error_of([&] { atelier::check_output_folder("--out", file + "/samples/x"); });
  EXPECT_EQ(folder_under_file.kind(), ErrorKind::BadInput);
  EXPECT_NE(std::string(folder_under_file.what()).find("not a folder"), std::string::npos)
      << folder_under_file.what();
  const Error file_as_folder = error_of([&] { atelier::check_output_folder("--out", file); });
  EXPECT_NE(std::string(file_as_folder.what()).find("where a folder is meant"), std::string::npos);
}

TEST(AtomicSave, LeavesNoTemporaryFileAndRemovesOrphansOfDeadWriters) {
  TempDir dir;
  const std::string target = dir.file("model.atl");
  // A temporary file of a writer that was killed (pid far beyond pid_max) and a user's own file
  // that merely looks alike.
  const std::string orphan = dir.file(".model.tmp-999999999-0.atl");
  const std::string users = dir.file("model.atl.tmp");
  write_text(orphan, "half a model");
  write_text(users, "the user's own file");

  atelier::io::write_file_atomically(target, {1, 2, 3});
  atelier::io::write_file_atomically(target, {4, 5});
  EXPECT_EQ(fs::file_size(target), 2u);
  EXPECT_TRUE(fs::exists(users));
  EXPECT_FALSE(fs::exists(orphan));
  EXPECT_EQ(temporary_files(dir.path()), 1);  // only the user's model.atl.tmp

  // Two temporary names for one target never coincide.
  EXPECT_NE(atelier::io::temp_sibling(target), atelier::io::temp_sibling(target));

  // A save abandoned before commit leaves nothing.
  {
    atelier::io::AtomicFile file(dir.file("other.atl"));
    file.write("abc", 3);
  }
  EXPECT_FALSE(fs::exists(dir.file("other.atl")));
  EXPECT_EQ(temporary_files(dir.path()), 1);
}

TEST(MemoryBudget, AJobAboveTheCapIsRefusedByName) {
  const ScopedEnv cap("ATELIER_MAX_MEMORY_MB", "100");
  EXPECT_LE(atelier::memory_available_bytes(), std::uint64_t(100) << 20);
  EXPECT_NO_THROW(atelier::require_memory(10e6, "a sample", "use a smaller --size"));
  const Error e = error_of(
      [] { atelier::require_memory(8e9, "a sample of 8192x8192", "use a smaller --size"); });
  EXPECT_EQ(e.kind(), ErrorKind::BadInput);
  const std::string text = e.what();
  EXPECT_NE(text.find("a sample of 8192x8192"), std::string::npos) << text;
  EXPECT_NE(text.find("--size"), std::string::npos) << text;
  EXPECT_NE(text.find("8.0 GB"), std::string::npos) << text;
}

TEST(TrainingFailure, NonFiniteLossesStopTheTrainingAndSayWhatWasKept) {
  TempDir dir;
  atelier::SaveRecord record(dir.file("model.atl"));
  EXPECT_NO_THROW(atelier::require_finite_losses({{"rec", 1.5}}, "singan", "scale 1/3", record));
  const Error none = error_of([&] {
    atelier::require_finite_losses({{"rec", std::nan("")}}, "singan", "scale 1/3, step 4", record);
  });
  EXPECT_EQ(none.kind(), ErrorKind::BadInput);
  EXPECT_NE(std::string(none.what()).find("diverged at scale 1/3, step 4"), std::string::npos);
  EXPECT_NE(std::string(none.what()).find("no model was written"), std::string::npos)
      << none.what();

  record.saved(120);
  const Error kept = error_of([&] {
    atelier::require_finite_losses({{"adv", std::numeric_limits<double>::infinity()}}, "singan",
                                   "scale 2/3", record);
  });
  EXPECT_NE(std::string(kept.what()).find("keeps the model saved at step 120"), std::string::npos)
      << kept.what();
}

TEST(TrainingFailure, AFailedAllocationIsReportedAsTooLargeNotAsADefect) {
  atelier::SaveRecord record("/nonexistent/model.atl");
  const Error e = error_of([&] {
    try {
      throw std::runtime_error(
          "[enforce fail at alloc_cpu.cpp:75] DefaultCPUAllocator: can't allocate memory");
    } catch (...) {
      atelier::rethrow_training_failure("videogen", "level 2/4", record);
    }
  });
  EXPECT_EQ(e.kind(), ErrorKind::BadInput);
  EXPECT_NE(std::string(e.what()).find("out of memory at level 2/4"), std::string::npos)
      << e.what();
}

TEST(TrainingFailure, ALossThatTurnsNaNEndsTheLoopAndKeepsTheLastSave) {
  TempDir dir;
  atelier::TrainOptions options;
  options.out = dir.file("model.atl");
  options.preview_every = 0;
  options.checkpoint_every_s = 1e-9;  // a resumable save after every step
  const atelier::Callbacks callbacks;
  atelier::ScaleLoop loop("singan", options, callbacks, {{"train", 1, 5, 1}, {"train", 2, 5, 1}},
                          0);
  atelier::ScalePosition position;
  std::int64_t steps = 0;
  std::vector<std::string> saves;
  atelier::ScaleLoopHooks hooks;
  hooks.iterate = [&]() -> atelier::NamedLosses {
    ++steps;
    return {{"rec", steps < 8 ? 0.5 : std::nan("")}};  // diverges at the 8th step
  };
  hooks.next_scale = [] {};
  hooks.preview = [] {};
  hooks.describe = [](int) { return std::string("8x8"); };
  hooks.save = [&](bool finished) {
    saves.push_back(std::to_string(position.global_step) + (finished ? " finished" : ""));
    write_text(options.out, saves.back());
  };
  const Error e = error_of([&] { loop.run(position, hooks); });
  EXPECT_EQ(e.kind(), ErrorKind::BadInput);
  const std::string text = e.what();
  EXPECT_NE(text.find("diverged at scale 2/2, step 3"), std::string::npos) << text;
  EXPECT_NE(text.find("'rec' is NaN"), std::string::npos) << text;
  EXPECT_NE(text.find("keeps the model saved at step 7"), std::string::npos) << text;
  // Nothing was saved after the loss went bad: the file holds the last good step.
  ASSERT_FALSE(saves.empty());
  EXPECT_EQ(saves.back(), "7");
  std::ifstream in(options.out);
  std::string kept;
  std::getline(in, kept);
  EXPECT_EQ(kept, "7");
}

TEST(Pictures, AFormatWhoseSizeIsNotKnownBeforeDecodingIsRefusedUndecoded) {
  TempDir dir;
  // A Radiance HDR header claiming 11000x11000 pixels, named .png: OpenCV would decode it whole
  // (gigabytes) before any pixel limit could refuse it.
  const std::string path = dir.file("huge.png");
  write_text(path, std::string("#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 11000 +X 11000\n") +
                       std::string(4096, '\x02'));
  const auto start = std::chrono::steady_clock::now();
  const Error e = error_of([&] { atelier::load_image(path); });
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(e.kind(), ErrorKind::BadInput);
  EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("not a PNG, JPEG, BMP or WebP"), std::string::npos)
      << e.what();
}

TEST(AtomicSave, AWriterKilledAtRandomMomentsNeverLeavesAHalfFileOrATemporaryOne) {
  TempDir dir;
  const std::string target = dir.file("model.atl");
  constexpr std::size_t kSize = 4 << 20;
  // Version v of the file: kSize bytes of value v.
  const auto version_ok = [&](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return bytes.size() == kSize && bytes.find_first_not_of(bytes[0]) == std::string::npos;
  };
  atelier::io::write_file_atomically(target, std::vector<std::uint8_t>(kSize, 1));
  std::mt19937 random(7);
  for (int kill_round = 0; kill_round < 100; ++kill_round) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      for (std::uint8_t v = 2;; v = static_cast<std::uint8_t>(v % 250 + 2))
        atelier::io::write_file_atomically(target, std::vector<std::uint8_t>(kSize, v));
    }
    ::usleep(std::uniform_int_distribution<int>(0, 30000)(random));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(version_ok(target)) << "round " << kill_round;
  }
  // The next save removes what a killed writer left between naming its file and renaming it.
  atelier::io::write_file_atomically(target, std::vector<std::uint8_t>(kSize, 1));
  EXPECT_TRUE(version_ok(target));
  EXPECT_EQ(temporary_files(dir.path()), 0);
}
