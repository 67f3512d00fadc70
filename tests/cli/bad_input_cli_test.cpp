// End-to-end: what a hostile user gives atelier-cli. Every bad input (a bad file, an option value
// out of its range, an output that cannot be written) ends quickly with exit 2, a mistyped command
// with exit 1, each with a message that names the option or the file in plain words (no library
// text), and no file of the user's changed.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "atelier/image.h"
#include "atelier/model_file.h"
#include "cli_support.h"
#include "test_support.h"

namespace fs = std::filesystem;
using atelier::test::cli;
using atelier::test::cli_interrupted_after;
using atelier::test::json_lines;
using atelier::test::method_built;
using atelier::test::TempDir;
using nlohmann::json;

namespace {

constexpr int kUsage = 1;
constexpr int kBadInput = 2;

std::string small_image(const TempDir& dir) {
  const std::string path = dir.file("pic.png");
  atelier::Image image = atelier::load_image(atelier::test::data_file("images/chelsea.png"));
  atelier::save_image(atelier::fit_within(image, 40), path);
  return path;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Library text a user must never see.
void expect_plain(const std::string& err) {
  EXPECT_EQ(err.find("json.exception"), std::string::npos) << err;
  EXPECT_EQ(err.find("filesystem error"), std::string::npos) << err;
  EXPECT_EQ(err.find("enforce fail"), std::string::npos) << err;
  EXPECT_EQ(err.find("pytorch"), std::string::npos) << err;
  EXPECT_EQ(err.find("terminate called"), std::string::npos) << err;
}

// `r` ended with `code` and a plain message holding every one of `words`.
void expect_refusal(const atelier::test::ProcessResult& r, int code,
                    const std::vector<std::string>& words) {
  EXPECT_EQ(r.exit_code, code) << r.err;
  for (const std::string& word : words) EXPECT_NE(r.err.find(word), std::string::npos) << r.err;
  expect_plain(r.err);
}

std::uint32_t crc32_of(const std::string& bytes) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : bytes) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

template <class T>
void put_le(std::string& out, T value) {
  for (std::size_t i = 0; i < sizeof(T); ++i) out.push_back(static_cast<char>(value >> (8 * i)));
}

// A model file whose container is intact (right lengths and checksums) but whose description is
// `description`: what a crafted file looks like.
void write_crafted_model(const std::string& path, const std::string& description) {
  std::string bytes("ATELIER\x1a", 8);
  put_le<std::uint32_t>(bytes, 1);  // format version
  put_le<std::uint32_t>(bytes, 0);  // flags
  put_le<std::uint64_t>(bytes, description.size());
  bytes += description;
  put_le<std::uint32_t>(bytes, crc32_of(description));
  put_le<std::uint32_t>(bytes, crc32_of(""));  // empty payload
  bytes += std::string("LTA\x1a", 4);
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string nested_arrays(int depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

}  // namespace

TEST(BadInput, AnUnknownCommandIsNamed) {
  expect_refusal(cli({"trian", "singan"}), kUsage, {"trian"});
  expect_refusal(cli({"train", "singna"}), kUsage, {"singna", "singan"});
}

TEST(BadInput, OptionsOutOfRangeAreRefusedByName) {
  expect_refusal(cli({"info", "--threads", "100000"}), kBadInput, {"--threads", "100000"});
  expect_refusal(cli({"info", "--threads", "nan"}), kBadInput, {"--threads"});
  if (!method_built("singan")) return;
  TempDir dir;
  const std::string image = small_image(dir);
  const std::string out = dir.file("m.atl");
  const std::vector<std::string> train = {"train",    "singan", "--image", image,
                                          "--preset", "tiny",   "--out",   out};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = train;
    args.insert(args.end(), extra.begin(), extra.end());
    return cli(args);
  };
  expect_refusal(with({"--checkpoint-every", "nan"}), kBadInput, {"--checkpoint-every"});
  expect_refusal(with({"--checkpoint-every", "-5"}), kBadInput, {"--checkpoint-every"});
  expect_refusal(with({"--seed", "-1"}), kBadInput, {"--seed"});
  EXPECT_FALSE(fs::exists(out));
}

TEST(BadInput, PresetValuesOutOfRangeAreRefusedAsTheOverrideTyped) {
  if (!method_built("singan")) GTEST_SKIP() << "singan is not built";
  TempDir dir;
  const std::string image = small_image(dir);
  const std::string out = dir.file("m.atl");
  for (const std::string set :
       {"scales=100000", "layers=100000", "rec_weight=1e300", "leaky_slope=-5", "scale_factor=1",
        "scale_factor=-1", "noise_amp=1e300", "beta1=5", "lr_g=abc"}) {
    SCOPED_TRACE(set);
    const auto start = std::chrono::steady_clock::now();
    const auto r =
        cli({"train", "singan", "--image", image, "--preset", "tiny", "--set", set, "--out", out});
    expect_refusal(r, kBadInput, {"--set " + set});
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  }
  // scales 0 follows scale_factor: a factor this close to 1 would make thousands of scales.
  expect_refusal(cli({"train", "singan", "--image", image, "--preset", "tiny", "--set", "scales=0",
                      "--set", "scale_factor=0.9999", "--out", out}),
                 kBadInput, {"scale_factor", "at most 32"});
  EXPECT_FALSE(fs::exists(out));
}

TEST(BadInput, AnOutputThatIsTheInputIsRefusedAndTheInputKept) {
  if (!method_built("singan")) GTEST_SKIP() << "singan is not built";
  TempDir dir;
  const std::string image = small_image(dir);
  const std::string before = read_bytes(image);
  expect_refusal(cli({"train", "singan", "--image", image, "--preset", "tiny", "--out", image}),
                 kBadInput, {"--out", "--image"});
  EXPECT_EQ(read_bytes(image), before);

  // Output paths that cannot be written are refused before any work, naming --out.
  expect_refusal(
      cli({"train", "singan", "--image", image, "--preset", "tiny", "--out", image + "/m.atl"}),
      kBadInput, {"--out", "not a folder"});
  expect_refusal(
      cli({"train", "singan", "--image", image, "--preset", "tiny", "--out", dir.path().string()}),
      kBadInput, {"--out", "is a folder"});
  expect_refusal(cli({"train", "singan", "--image", image, "--preset", "tiny", "--out",
                      dir.file("missing/m.atl")}),
                 kBadInput, {"--out", "does not exist"});
}

TEST(BadInput, ANamedPipeIsRefusedInsteadOfWaitedOn) {
  if (!method_built("singan")) GTEST_SKIP() << "singan is not built";
  TempDir dir;
  const std::string fifo = dir.file("pipe.png");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // Were the pipe opened, the run would wait for a writer until the SIGINT 30 s later (exit 3).
  const auto r = cli_interrupted_after(
      {"train", "singan", "--image", fifo, "--preset", "tiny", "--out", dir.file("m.atl")}, 30000);
  expect_refusal(r, kBadInput, {fifo, "named pipe"});
  if (method_built("videogen")) {
    const std::string video_fifo = dir.file("pipe.mp4");
    ASSERT_EQ(::mkfifo(video_fifo.c_str(), 0600), 0);
    const auto v = cli_interrupted_after({"train", "videogen", "--video", video_fifo, "--preset",
                                          "tiny", "--out", dir.file("v.atl")},
                                         30000);
    expect_refusal(v, kBadInput, {video_fifo, "named pipe"});
  }
}

TEST(BadInput, APresetWithANumberOutOfRangeOrNestedWithoutEndIsRefusedByName) {
  if (!method_built("singan")) GTEST_SKIP() << "singan is not built";
  TempDir dir;
  const std::string image = small_image(dir);
  const std::string huge = dir.file("huge.json");
  std::ofstream(huge) << R"({"method": "singan", "size": "x", "params": {"lr_g": 1e400}})";
  expect_refusal(
      cli({"train", "singan", "--image", image, "--preset", huge, "--out", dir.file("m.atl")}),
      kBadInput, {huge, "1e400"});

  const std::string deep = dir.file("deep.json");
  std::ofstream(deep) << "{\"method\": \"singan\", \"params\": " << nested_arrays(200000) << "}";
  const auto r =
      cli({"train", "singan", "--image", image, "--preset", deep, "--out", dir.file("m.atl")});
  expect_refusal(r, kBadInput, {deep, "nested"});
}

TEST(BadInput, ACraftedModelFileIsRefusedWithoutCrashing) {
  TempDir dir;
  const std::string deep = dir.file("deep.atl");
  write_crafted_model(deep, "{\"method\": \"singan\", \"state\": " + nested_arrays(200000) + "}");
  expect_refusal(cli({"inspect", deep}), kBadInput, {deep, "nested"});
  expect_refusal(cli({"run", deep, "sample", "--out", dir.file("s.png")}), kBadInput, {deep});
}

TEST(BadInput, JsonOutputOfANameThatIsNotUtf8IsWritten) {
  TempDir dir;
  const std::string name = dir.file("bad\xff\xfe.atl");
  std::ofstream(name) << "not a model";
  const auto r = cli({"inspect", name, "--json"});
  EXPECT_EQ(r.exit_code, kBadInput) << r.err;
  expect_plain(r.err);
  const std::vector<json> lines = json_lines(r.out);
  ASSERT_EQ(lines.size(), 1u) << r.out;
  EXPECT_EQ(lines[0]["event"], "error");
  EXPECT_NE(lines[0]["message"].get<std::string>().find("bad\xEF\xBF\xBD"), std::string::npos);
}

TEST(BadInput, RunOptionsAreCheckedAndASampleTooLargeForTheMachineIsRefused) {
  if (!method_built("singan")) GTEST_SKIP() << "singan is not built";
  TempDir dir;
  const std::string image = small_image(dir);
  const std::string model = dir.file("m.atl");
  const auto trained = cli({"train", "singan", "--image", image, "--preset", "tiny", "--set",
                            "iterations=2", "--out", model, "--threads", "2"});
  ASSERT_EQ(trained.exit_code, 0) << trained.err;

  expect_refusal(cli({"run", model, "sample", "--n", "0", "--out", dir.file("s.png")}), kBadInput,
                 {"--n"});
  expect_refusal(cli({"run", model, "sample", "--out", model}), kBadInput, {"--out", "MODEL"});
  // An operation's options are parsed once the model is read; their errors read as all others.
  const auto unknown = cli({"run", model, "sample", "--bogus", "--out", dir.file("u.png")});
  expect_refusal(unknown, 1, {"error: ", "--bogus"});
  EXPECT_EQ(unknown.err.back(), '\n');
  EXPECT_EQ(atelier::inspect_model(model).method, "singan");  // the model is still there

  // A one-pixel painting gives no layout.
  const std::string dot = dir.file("dot.png");
  atelier::save_image(atelier::Image(1, 1, 3, 128), dot);
  expect_refusal(cli({"run", model, "paint", "--image", dot, "--out", dir.file("p.png")}),
                 kBadInput, {"1x1"});

  // With 200 MB to spend, an 8192x8192 sample is refused at once, naming the size.
  const auto start = std::chrono::steady_clock::now();
  ::setenv("ATELIER_MAX_MEMORY_MB", "200", 1);
  const auto big =
      cli({"run", model, "sample", "--size", "8192x8192", "--out", dir.file("big.png")});
  ::unsetenv("ATELIER_MAX_MEMORY_MB");
  expect_refusal(big, kBadInput, {"8192x8192", "smaller size"});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  EXPECT_FALSE(fs::exists(dir.file("big.png")));
}
