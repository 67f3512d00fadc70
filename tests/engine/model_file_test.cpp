// Model files (.atl): round trips of everything a model file holds, and rejection of every kind of
// damaged, foreign or hostile file with a clear error naming the file.
#include <gtest/gtest.h>
#include <torch/torch.h>
#include <zlib.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>

#include "atelier/error.h"
#include "atelier/model_file.h"
#include "core/archive_tensors.h"
#include "core/model_archive.h"
#include "test_support.h"

namespace atelier {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test::TempDir;

std::vector<char> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<char>(std::istreambuf_iterator<char>(in), {});
}

void write_bytes(const std::string& path, const char* data, std::size_t size) {
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(data, static_cast<std::streamsize>(size));
}

// Expects `f` to throw atelier::Error(BadInput) whose message contains every one of `parts`;
// returns the message.
template <class F>
std::string expect_bad_input(F&& f, std::initializer_list<std::string> parts) {
  try {
    f();
    ADD_FAILURE() << "no error thrown";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput) << e.what();
    for (const auto& part : parts)
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos)
          << "'" << part << "' not in: " << e.what();
    return e.what();
  }
  return {};
}

Image gradient_thumbnail() {
  Image image(24, 16, 3);
  for (int y = 0; y < image.height; ++y)
    for (int x = 0; x < image.width; ++x) {
      std::uint8_t* p = image.at(x, y);
      p[0] = static_cast<std::uint8_t>(x * 10);
      p[1] = static_cast<std::uint8_t>(y * 15);
      p[2] = static_cast<std::uint8_t>((x * y) % 256);
    }
  return image;
}

RawModelArchive sample_archive() {
  RawModelArchive a;
  a.info.method = "singan";
  a.info.preset = "tiny";
  a.info.params = {{"lr", 0.0005}, {"scales", {25, 33, 44}}, {"name", "ünïcode"}};
  a.info.state = {{"noise_amp", {1.0, 0.1}}};
  a.info.step = 1234;
  a.info.seed = 0xFFFFFFFFFFFFull;
  a.info.created = "2024-01-02T03:04:05Z";
  a.info.finished = false;
  a.info.thumbnail = gradient_thumbnail();
  torch::manual_seed(7);
  put_tensor(a, "f32", torch::randn({3, 5}));
  put_tensor(a, "f64", torch::randn({7}, torch::kFloat64));
  put_tensor(a, "f16", torch::randn({2, 3}).to(torch::kFloat16));
  put_tensor(a, "bf16", torch::randn({4}).to(torch::kBFloat16));
  put_tensor(a, "i64", torch::arange(-5, 6, torch::kInt64));
  put_tensor(a, "i32", torch::tensor({-7, 0, 2147483647}, torch::kInt32));
  put_tensor(a, "u8", torch::randint(0, 256, {2, 2, 3}).to(torch::kUInt8));
  put_tensor(a, "bool", torch::tensor({true, false, true}));
  put_tensor(a, "scalar", torch::tensor(3.5, torch::kFloat64));
  put_tensor(a, "empty", torch::zeros({0, 3}));
  put_tensor(a, "strided", torch::arange(12, torch::kFloat32).reshape({3, 4}).t());
  return a;
}

class ModelFileTest : public ::testing::Test {
 protected:
  TempDir dir{"atelier-model-test"};
};

TEST_F(ModelFileTest, RoundTripKeepsEverything) {
  const RawModelArchive original = sample_archive();
  const std::string path = dir.file("m.atl");
  write_raw_model_archive(path, original);
  EXPECT_FALSE(fs::exists(path + ".tmp"));

  const RawModelArchive back = read_raw_model_archive(path, "singan");
  const ModelInfo& info = back.info;
  EXPECT_EQ(info.path, path);
  EXPECT_EQ(info.format_version, kModelFormatVersion);
  EXPECT_EQ(info.method, "singan");
  EXPECT_EQ(info.preset, "tiny");
  EXPECT_EQ(info.params, original.info.params);
  EXPECT_EQ(info.state, original.info.state);
  EXPECT_EQ(info.step, 1234);
  EXPECT_EQ(info.seed, 0xFFFFFFFFFFFFull);
  EXPECT_EQ(info.created, "2024-01-02T03:04:05Z");
  EXPECT_FALSE(info.finished);
  EXPECT_FALSE(info.atelier_version.empty());
  EXPECT_EQ(info.file_size, fs::file_size(path));
  EXPECT_EQ(info.thumbnail.width, 24);
  EXPECT_EQ(info.thumbnail.height, 16);
  EXPECT_EQ(info.thumbnail.channels, 3);
  EXPECT_EQ(info.thumbnail.pixels, original.info.thumbnail.pixels);  // PNG is lossless
  ASSERT_EQ(info.tensors.size(), original.tensors.size());

  for (const auto& [name, raw] : original.tensors) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(back.tensors.count(name));
    EXPECT_EQ(back.tensors.at(name).dtype, raw.dtype);
    EXPECT_EQ(back.tensors.at(name).shape, raw.shape);
    EXPECT_EQ(back.tensors.at(name).bytes, raw.bytes);
    const torch::Tensor a = get_tensor(original, name), b = get_tensor(back, name);
    EXPECT_EQ(a.scalar_type(), b.scalar_type());
    EXPECT_TRUE(torch::equal(a, b));
  }
  const torch::Tensor strided = get_tensor(back, "strided");
  EXPECT_TRUE(torch::equal(strided, torch::arange(12, torch::kFloat32).reshape({3, 4}).t()));
  EXPECT_EQ(get_tensor(back, "f16").scalar_type(), torch::kFloat16);
  EXPECT_EQ(get_tensor(back, "scalar").dim(), 0);
  expect_bad_input([&] { get_tensor(back, "nope"); }, {path, "'nope'"});
}

TEST_F(ModelFileTest, FillsCreatedAndVersionAndWritesWithoutThumbnail) {
  RawModelArchive a;
  a.info.method = "analogy";
  const std::string path = dir.file("bare.atl");
  write_raw_model_archive(path, a);
  const ModelInfo info = inspect_model(path);
  EXPECT_EQ(info.created.size(), 20u);  // 2024-01-02T03:04:05Z
  EXPECT_EQ(info.created.back(), 'Z');
  EXPECT_FALSE(info.atelier_version.empty());
  EXPECT_TRUE(info.thumbnail.empty());
  EXPECT_TRUE(info.tensors.empty());
  EXPECT_TRUE(info.params.is_object());
}

TEST_F(ModelFileTest, OverwritesAndNeverLeavesATemporaryFile) {
  const std::string path = dir.file("m.atl");
  RawModelArchive a = sample_archive();
  write_raw_model_archive(path, a);
  a.info.step = 99;
  write_raw_model_archive(path, a);
  EXPECT_EQ(inspect_model(path).step, 99);
  EXPECT_FALSE(fs::exists(path + ".tmp"));

  // A folder in the way: the rename fails, the error names the file, no .tmp is left.
  const std::string blocked = dir.file("blocked.atl");
  fs::create_directory(blocked);
  fs::create_directory(blocked + "/x");
  try {
    write_raw_model_archive(blocked, a);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Io);
    EXPECT_NE(std::string(e.what()).find(blocked), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(blocked + ".tmp"));
  EXPECT_THROW(write_raw_model_archive(dir.file("no/such/dir/m.atl"), a), Error);
  EXPECT_FALSE(fs::exists(dir.file("no/such/dir/m.atl.tmp")));

  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir.path()))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"blocked.atl", "m.atl"}));
}

TEST_F(ModelFileTest, InspectDescribesTheFile) {
  const std::string path = dir.file("m.atl");
  write_raw_model_archive(path, sample_archive());
  const ModelInfo info = inspect_model(path);
  EXPECT_EQ(info.method, "singan");
  EXPECT_EQ(info.step, 1234);
  EXPECT_EQ(info.thumbnail.width, 24);
  EXPECT_EQ(info.file_size, fs::file_size(path));
  ASSERT_EQ(info.tensors.size(), 11u);
  bool saw_f16 = false;
  for (const TensorRecord& t : info.tensors)
    if (t.name == "f16") {
      saw_f16 = true;
      EXPECT_EQ(t.dtype, "float16");
      EXPECT_EQ(t.shape, (std::vector<std::int64_t>{2, 3}));
    }
  EXPECT_TRUE(saw_f16);

  const json j = to_json(info);
  EXPECT_EQ(j.at("method"), "singan");
  EXPECT_EQ(j.at("path"), path);
  EXPECT_EQ(j.at("format_version"), kModelFormatVersion);
  EXPECT_EQ(j.at("preset"), "tiny");
  EXPECT_EQ(j.at("params"), sample_archive().info.params);
  EXPECT_EQ(j.at("step"), 1234);
  EXPECT_EQ(j.at("seed"), 0xFFFFFFFFFFFFull);
  EXPECT_EQ(j.at("finished"), false);
  EXPECT_EQ(j.at("file_size"), fs::file_size(path));
  EXPECT_EQ(j.at("thumbnail").at("width"), 24);
  EXPECT_EQ(j.at("thumbnail").at("height"), 16);
  EXPECT_FALSE(j.at("thumbnail").contains("pixels"));
  EXPECT_EQ(j.at("tensors").size(), 11u);
  EXPECT_EQ(j.at("tensor_bytes"),
            15 * 4 + 7 * 8 + 6 * 2 + 4 * 2 + 11 * 8 + 3 * 4 + 12 + 3 + 8 + 0 + 48);
  EXPECT_LT(j.dump().size(), 4000u);
}

TEST_F(ModelFileTest, RejectsAnotherMethodNamingBoth) {
  const std::string path = dir.file("m.atl");
  write_raw_model_archive(path, sample_archive());
  expect_bad_input([&] { read_raw_model_archive(path, "analogy"); },
                   {path, "'singan'", "'analogy'"});
}

TEST_F(ModelFileTest, EveryTruncationIsRejected) {
  const std::string path = dir.file("m.atl");
  write_raw_model_archive(path, sample_archive());
  const std::vector<char> bytes = read_bytes(path);
  const std::string cut = dir.file("cut.atl");
  int checked = 0;
  for (std::size_t length = 0; length < bytes.size(); length += 7) {
    for (std::size_t n : {length, bytes.size() - 1 - length % 64}) {
      write_bytes(cut, bytes.data(), n);
      SCOPED_TRACE("length " + std::to_string(n));
      expect_bad_input([&] { read_raw_model_archive(cut); }, {cut});
      expect_bad_input([&] { inspect_model(cut); }, {cut});
      ++checked;
    }
  }
  EXPECT_GT(checked, 100);
  expect_bad_input([&] { inspect_model(dir.file("missing.atl")); }, {"missing.atl"});
  expect_bad_input([&] { inspect_model(dir.path().string()); }, {dir.path().string()});
}

TEST_F(ModelFileTest, RandomBytesAreRejected) {
  const std::vector<char> valid = [&] {
    write_raw_model_archive(dir.file("m.atl"), sample_archive());
    return read_bytes(dir.file("m.atl"));
  }();
  std::mt19937 rng(42);
  const std::string path = dir.file("random.atl");
  for (int i = 0; i < 300; ++i) {
    std::vector<char> bytes(rng() % 3000);
    for (char& b : bytes) b = static_cast<char>(rng());
    // Some keep the real header so the deeper checks (lengths, JSON) get random input too.
    const std::size_t keep = std::min<std::size_t>(bytes.size(), i % 3 == 0   ? 0
                                                                 : i % 3 == 1 ? 16
                                                                              : 24);
    std::memcpy(bytes.data(), valid.data(), keep);
    write_bytes(path, bytes.data(), bytes.size());
    SCOPED_TRACE(i);
    expect_bad_input([&] { read_raw_model_archive(path); }, {path});
  }
}

TEST_F(ModelFileTest, FlippedBytesFailTheChecksums) {
  const std::string path = dir.file("m.atl");
  write_raw_model_archive(path, sample_archive());
  const std::vector<char> bytes = read_bytes(path);
  std::uint64_t json_size = 0;
  std::memcpy(&json_size, bytes.data() + 16, 8);
  const std::size_t payload_begin = 24 + json_size + 4;
  const std::size_t payload_end = bytes.size() - 8;
  ASSERT_LT(payload_begin, payload_end);
  EXPECT_EQ(payload_begin % 64, 0u);  // tensors can be mapped aligned

  const std::string bad = dir.file("flipped.atl");
  for (std::size_t at = payload_begin; at < payload_end; at += 37) {
    std::vector<char> copy = bytes;
    copy[at] = static_cast<char>(copy[at] ^ 0x10);
    write_bytes(bad, copy.data(), copy.size());
    SCOPED_TRACE(at);
    expect_bad_input([&] { read_raw_model_archive(bad); }, {bad, "checksum"});
  }
  for (std::size_t at = 24; at < payload_begin - 4; at += 23) {  // the description
    std::vector<char> copy = bytes;
    copy[at] = static_cast<char>(copy[at] ^ 0x01);
    write_bytes(bad, copy.data(), copy.size());
    expect_bad_input([&] { inspect_model(bad); }, {bad, "checksum"});
  }
}

// Rewrites the description of a valid file (with a correct checksum), leaving the payload.
void rewrite_description(const std::string& path, const std::function<void(json&)>& edit,
                         std::uint32_t version = kModelFormatVersion) {
  const std::vector<char> bytes = read_bytes(path);
  std::uint64_t json_size = 0;
  std::memcpy(&json_size, bytes.data() + 16, 8);
  json description = json::parse(bytes.begin() + 24, bytes.begin() + 24 + json_size);
  edit(description);
  const std::string text = description.dump();
  std::string out(bytes.data(), 8);
  out.append(reinterpret_cast<const char*>(&version), 4);
  out.append(bytes.data() + 12, 4);
  const std::uint64_t new_size = text.size();
  out.append(reinterpret_cast<const char*>(&new_size), 8);
  out += text;
  const auto crc = static_cast<std::uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(text.data()), static_cast<uInt>(text.size())));
  out.append(reinterpret_cast<const char*>(&crc), 4);
  out.append(bytes.data() + 24 + json_size + 4, bytes.size() - (24 + json_size + 4));
  write_bytes(path, out.data(), out.size());
}

TEST_F(ModelFileTest, RejectsDescriptionsThatLie) {
  const std::string good = dir.file("good.atl");
  write_raw_model_archive(good, sample_archive());
  const std::string path = dir.file("lying.atl");
  auto tensor = [](json& d, const std::string& name) -> json& {
    for (json& t : d["tensors"])
      if (t["name"] == name) return t;
    throw std::runtime_error("no tensor " + name);
  };
  struct Case {
    const char* expect;
    std::function<void(json&)> edit;
  };
  const std::vector<Case> cases = {
      {"dtype", [&](json& d) { tensor(d, "f32")["dtype"] = "complex64"; }},
      {"bytes",
       [&](json& d) {
         tensor(d, "f32")["shape"] = {3, 6};
       }},
      {"shape",
       [&](json& d) {
         tensor(d, "f32")["shape"] = {3, -5};
       }},
      {"bytes",
       [&](json& d) {  // an overflowing shape must not wrap around to the right size
         tensor(d, "f32")["shape"] = {1ull << 62, 1ull << 62, 15 * 4};
       }},
      {"outside", [&](json& d) { tensor(d, "f32")["offset"] = 1ull << 62; }},
      {"outside",
       [&](json& d) {
         tensor(d, "u8")["shape"] = {1ull << 40};
         tensor(d, "u8")["nbytes"] = 1ull << 40;
       }},
      {"overlaps", [&](json& d) { tensor(d, "f64")["offset"] = tensor(d, "f32")["offset"]; }},
      {"twice", [&](json& d) { tensor(d, "f64")["name"] = "f32"; }},
      {"'method'", [](json& d) { d.erase("method"); }},
      {"'step'", [](json& d) { d["step"] = "many"; }},
      {"'seed'", [](json& d) { d["seed"] = -1; }},
      {"'finished'", [](json& d) { d["finished"] = 1; }},
      {"'params'", [](json& d) { d["params"] = json::array(); }},
      {"'tensors'", [](json& d) { d["tensors"] = json::object(); }},
      {"'thumbnail", [](json& d) { d.erase("thumbnail"); }},
      {"thumbnail", [](json& d) { d["thumbnail"]["nbytes"] = 1ull << 50; }},
      {"JSON",
       [](json& d) {
         d = json::array({1, 2});
       }},
  };
  for (const Case& c : cases) {
    fs::copy_file(good, path, fs::copy_options::overwrite_existing);
    rewrite_description(path, c.edit);
    SCOPED_TRACE(c.expect);
    expect_bad_input([&] { read_raw_model_archive(path); }, {path, c.expect});
  }
  fs::copy_file(good, path, fs::copy_options::overwrite_existing);
  rewrite_description(
      path, [](json&) {}, 2);
  expect_bad_input([&] { inspect_model(path); }, {path, "version 2"});

  // A header whose description length is absurd.
  std::vector<char> bytes = read_bytes(good);
  const std::uint64_t huge = ~0ull - 5;
  std::memcpy(bytes.data() + 16, &huge, 8);
  write_bytes(path, bytes.data(), bytes.size());
  expect_bad_input([&] { inspect_model(path); }, {path});
}

// ---------------------------------------------------------------------------------------------
// Modules and optimizers

struct NetImpl : torch::nn::Module {
  explicit NetImpl(int channels = 4) {
    conv = register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(3, channels, 3)));
    norm = register_module("norm", torch::nn::BatchNorm2d(channels));
    head = register_module("head", torch::nn::Linear(channels, 2));
  }
  torch::Tensor forward(torch::Tensor x) {
    x = torch::relu(norm(conv(x)));
    return head(x.mean({2, 3}));
  }
  torch::nn::Conv2d conv{nullptr};
  torch::nn::BatchNorm2d norm{nullptr};
  torch::nn::Linear head{nullptr};
};
TORCH_MODULE(Net);

TEST_F(ModelFileTest, ModuleRoundTripIncludesBuffers) {
  torch::manual_seed(1);
  Net saved;
  saved->forward(torch::randn({2, 3, 8, 8}));  // moves BatchNorm's running statistics
  RawModelArchive a;
  a.info.method = "singan";
  put_module(a, "G", *saved);
  EXPECT_TRUE(a.tensors.count("G.norm.running_mean"));
  EXPECT_TRUE(a.tensors.count("G.norm.num_batches_tracked"));
  const std::string path = dir.file("net.atl");
  write_raw_model_archive(path, a);

  torch::manual_seed(2);
  Net loaded;
  const RawModelArchive back = read_raw_model_archive(path, "singan");
  get_module(back, "G", *loaded);
  for (const auto& item : saved->named_parameters())
    EXPECT_TRUE(torch::equal(item.value(), loaded->named_parameters()[item.key()])) << item.key();
  for (const auto& item : saved->named_buffers())
    EXPECT_TRUE(torch::equal(item.value(), loaded->named_buffers()[item.key()])) << item.key();
  EXPECT_TRUE(loaded->conv->weight.requires_grad());

  Net wider(5);
  const std::string message =
      expect_bad_input([&] { get_module(back, "G", *wider); }, {path, "'G.conv.weight'"});
  EXPECT_NE(message.find("shape"), std::string::npos) << message;
  expect_bad_input([&] { get_module(back, "D", *loaded); }, {path, "'D.conv.weight'", "missing"});
}

torch::Tensor batch(int i) {
  const auto t = torch::arange(2 * 3 * 6 * 6, torch::kFloat32).reshape({2, 3, 6, 6});
  return torch::sin(t * 0.37f * static_cast<float>(i + 1));
}

void train(Net& net, torch::optim::Adam& adam, int from, int to) {
  for (int i = from; i < to; ++i) {
    adam.zero_grad();
    const torch::Tensor loss = net->forward(batch(i)).pow(2).mean();
    loss.backward();
    adam.step();
    if (i == 2)  // what a learning-rate schedule does; must survive the round trip
      for (auto& group : adam.param_groups())
        static_cast<torch::optim::AdamOptions&>(group.options()).lr(0.003);
  }
}

void expect_same_parameters(Net& a, Net& b, bool same) {
  bool all_equal = true;
  for (const auto& item : a->named_parameters())
    all_equal = all_equal && torch::equal(item.value(), b->named_parameters()[item.key()]);
  for (const auto& item : a->named_buffers())
    all_equal = all_equal && torch::equal(item.value(), b->named_buffers()[item.key()]);
  EXPECT_EQ(all_equal, same);
}

void check_resume(const std::string& path, bool amsgrad) {
  const int k = 5;
  auto options = torch::optim::AdamOptions(0.01).betas({0.5, 0.999}).amsgrad(amsgrad);

  torch::manual_seed(3);
  Net straight;
  torch::optim::Adam straight_adam(straight->parameters(), options);
  train(straight, straight_adam, 0, 2 * k);

  torch::manual_seed(3);
  Net first;
  torch::optim::Adam first_adam(first->parameters(), options);
  train(first, first_adam, 0, k);
  RawModelArchive a;
  a.info.method = "singan";
  put_module(a, "G", *first);
  put_adam(a, "G.adam", first_adam);
  write_raw_model_archive(path, a);

  const RawModelArchive back = read_raw_model_archive(path, "singan");
  torch::manual_seed(99);  // a different initialisation, overwritten by the file
  Net resumed;
  torch::optim::Adam resumed_adam(resumed->parameters(), options);
  get_module(back, "G", *resumed);
  get_adam(back, "G.adam", resumed_adam);
  train(resumed, resumed_adam, k, 2 * k);
  expect_same_parameters(straight, resumed, true);

  // Without the optimizer state the run diverges: the test above can fail.
  torch::manual_seed(99);
  Net fresh;
  torch::optim::Adam fresh_adam(fresh->parameters(), options);
  get_module(back, "G", *fresh);
  train(fresh, fresh_adam, k, 2 * k);
  expect_same_parameters(straight, fresh, false);
}

TEST_F(ModelFileTest, AdamResumeContinuesBitForBit) {
  check_resume(dir.file("adam.atl"), false);
  check_resume(dir.file("amsgrad.atl"), true);
}

TEST_F(ModelFileTest, AdamOfAnotherArchitectureIsRejected) {
  Net net;
  torch::optim::Adam adam(net->parameters(), torch::optim::AdamOptions(0.01));
  train(net, adam, 0, 1);
  RawModelArchive a;
  a.info.path = "x.atl";
  put_adam(a, "opt", adam);

  auto other = torch::nn::Linear(3, 3);
  torch::optim::Adam other_adam(other->parameters(), torch::optim::AdamOptions(0.01));
  expect_bad_input([&] { get_adam(a, "opt", other_adam); }, {"x.atl", "'opt'"});
  Net wider(5);
  torch::optim::Adam wider_adam(wider->parameters(), torch::optim::AdamOptions(0.01));
  expect_bad_input([&] { get_adam(a, "opt", wider_adam); }, {"x.atl", "shape"});
}

}  // namespace
}  // namespace atelier
