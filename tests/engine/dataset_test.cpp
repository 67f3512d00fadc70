// Datasets: IDX files, image folders, the data directory, and the synthetic sets built from the
// shared real media (composite two-domain set with ground truth, MNIST-M style digits).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include <zlib.h>

#include "atelier/dataset.h"
#include "atelier/error.h"
#include "atelier/image.h"
#include "test_support.h"

namespace fs = std::filesystem;
using atelier::Error;
using atelier::ErrorKind;
using atelier::Image;
using atelier::test::TempDir;

namespace {

std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

void write_gzip(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  gzFile file = gzopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  ASSERT_EQ(gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size())),
            static_cast<int>(bytes.size()));
  ASSERT_EQ(gzclose(file), Z_OK);
}

std::vector<std::uint8_t> idx_header(std::uint8_t type, const std::vector<std::uint32_t>& dims) {
  std::vector<std::uint8_t> bytes = {0, 0, type, static_cast<std::uint8_t>(dims.size())};
  for (std::uint32_t d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back((d >> shift) & 0xff);
  }
  return bytes;
}

// Runs `call`, expects Error(BadInput) whose message names `name`.
template <typename Call>
void expect_bad_input_naming(Call call, const std::string& name) {
  try {
    call();
    ADD_FAILURE() << "no error for " << name;
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput) << e.what();
    EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
  }
}

void check_digit_set(const std::string& folder, const std::string& split, int expected) {
  const auto images = atelier::read_idx(folder + "/" + split + "-images-idx3-ubyte.gz");
  const auto labels = atelier::read_idx(folder + "/" + split + "-labels-idx1-ubyte.gz");
  ASSERT_EQ(images.dims, (std::vector<int>{expected, 28, 28}));
  ASSERT_EQ(labels.dims, (std::vector<int>{expected}));
  EXPECT_EQ(images.count(), expected);
  EXPECT_EQ(images.item_size(), 784);
  EXPECT_EQ(labels.item_size(), 1);
  EXPECT_EQ(images.data.size(), std::size_t(expected) * 784);
  ASSERT_EQ(labels.data.size(), std::size_t(expected));
  std::set<int> classes(labels.data.begin(), labels.data.end());
  EXPECT_EQ(classes.size(), 10u);
  EXPECT_EQ(*classes.rbegin(), 9);
  // Real pictures: dark background, bright strokes.
  EXPECT_EQ(*std::max_element(images.data.begin(), images.data.end()), 255);
  EXPECT_EQ(images.data[0], 0);
}

}  // namespace

TEST(Idx, ReadsMnistAndFashionMnist) {
  const std::string mnist = atelier::test::data_file("digits/mnist");
  const std::string fashion = atelier::test::data_file("digits/fashion-mnist");
  check_digit_set(mnist, "train", 60000);
  check_digit_set(mnist, "t10k", 10000);
  check_digit_set(fashion, "train", 60000);
  check_digit_set(fashion, "t10k", 10000);
  // Well-known first labels: MNIST train starts with a 5 and t10k with a 7; Fashion-MNIST's first
  // training item is an ankle boot (9).
  EXPECT_EQ(atelier::read_idx(mnist + "/train-labels-idx1-ubyte.gz").data[0], 5);
  EXPECT_EQ(atelier::read_idx(mnist + "/t10k-labels-idx1-ubyte.gz").data[0], 7);
  EXPECT_EQ(atelier::read_idx(fashion + "/train-labels-idx1-ubyte.gz").data[0], 9);
}

TEST(Idx, ReadsUncompressedFile) {
  TempDir dir;
  const std::string path = dir.file("tiny-idx3-ubyte");
  std::vector<std::uint8_t> bytes = idx_header(0x08, {3, 2, 4});
  for (int i = 0; i < 24; ++i) bytes.push_back(static_cast<std::uint8_t>(i * 10));
  write_bytes(path, bytes);
  const auto array = atelier::read_idx(path);
  EXPECT_EQ(array.dims, (std::vector<int>{3, 2, 4}));
  EXPECT_EQ(array.count(), 3);
  EXPECT_EQ(array.item_size(), 8);
  ASSERT_EQ(array.data.size(), 24u);
  EXPECT_EQ(array.data[0], 0);
  EXPECT_EQ(array.data[23], 230);

  const std::string labels = dir.file("labels-idx1-ubyte");
  write_bytes(labels, {0, 0, 8, 1, 0, 0, 0, 2, 7, 3});
  const auto label_array = atelier::read_idx(labels);
  EXPECT_EQ(label_array.dims, (std::vector<int>{2}));
  EXPECT_EQ(label_array.data, (std::vector<std::uint8_t>{7, 3}));
}

TEST(Idx, RejectsDefectiveFilesNamingThem) {
  TempDir dir;
  std::vector<std::uint8_t> good = idx_header(0x08, {2, 3, 3});
  good.resize(good.size() + 18, 42);

  struct Case {
    std::string name;
    std::vector<std::uint8_t> bytes;
  };
  std::vector<Case> cases;
  cases.push_back({"empty", {}});
  cases.push_back({"short-header", {0, 0, 8}});
  cases.push_back({"garbage", std::vector<std::uint8_t>(100, 'x')});
  cases.push_back({"bad-magic", [&] {
                     auto b = good;
                     b[0] = 1;
                     return b;
                   }()});
  cases.push_back({"float-type", [&] {
                     auto b = good;
                     b[2] = 0x0d;
                     return b;
                   }()});
  cases.push_back({"zero-dims", [&] {
                     auto b = good;
                     b[3] = 0;
                     return b;
                   }()});
  cases.push_back({"cut-dims", std::vector<std::uint8_t>(good.begin(), good.begin() + 10)});
  cases.push_back({"truncated", std::vector<std::uint8_t>(good.begin(), good.end() - 1)});
  cases.push_back({"trailing", [&] {
                     auto b = good;
                     b.push_back(0);
                     return b;
                   }()});
  cases.push_back({"zero-dimension", idx_header(0x08, {0, 28, 28})});
  // Headers claiming terabytes or hundreds of megabytes must fail on the header or on the
  // missing bytes, never by trying to allocate what they claim.
  cases.push_back({"terabytes", idx_header(0x08, {0xffffffffu, 0xffffffffu, 28})});
  cases.push_back({"huge-claim", [] {
                     auto b = idx_header(0x08, {1000000, 28, 28});
                     b.resize(b.size() + 1000, 1);
                     return b;
                   }()});
  for (const Case& c : cases) {
    const std::string path = dir.file(c.name + ".idx");
    write_bytes(path, c.bytes);
    SCOPED_TRACE(c.name);
    expect_bad_input_naming([&] { atelier::read_idx(path); }, path);
  }
  expect_bad_input_naming([&] { atelier::read_idx(dir.file("missing.idx")); }, "missing.idx");

  // Complete gzip streams whose payload is one byte short or long; and a good one.
  std::vector<std::uint8_t> short_payload(good.begin(), good.end() - 1);
  write_gzip(dir.file("short.gz"), short_payload);
  expect_bad_input_naming([&] { atelier::read_idx(dir.file("short.gz")); }, "short.gz");
  std::vector<std::uint8_t> long_payload = good;
  long_payload.push_back(9);
  write_gzip(dir.file("long.gz"), long_payload);
  expect_bad_input_naming([&] { atelier::read_idx(dir.file("long.gz")); }, "long.gz");
  write_gzip(dir.file("good.gz"), good);
  EXPECT_EQ(atelier::read_idx(dir.file("good.gz")).data, std::vector<std::uint8_t>(18, 42));

  // A gzip stream cut in the middle (the real MNIST labels, half of the compressed bytes).
  auto gz = read_bytes(atelier::test::data_file("digits/mnist/t10k-labels-idx1-ubyte.gz"));
  ASSERT_GT(gz.size(), 1000u);
  gz.resize(gz.size() / 2);
  const std::string cut = dir.file("cut-labels.gz");
  write_bytes(cut, gz);
  expect_bad_input_naming([&] { atelier::read_idx(cut); }, cut);
}

TEST(ImageFolder, ListsAndLoadsNestedImagesSkippingBrokenOnes) {
  TempDir dir;
  fs::create_directories(dir.path() / "a" / "b");
  save_image(Image(16, 16, 3, 200), dir.file("a/one.png"));
  save_image(Image(20, 10, 3, 100), dir.file("a/b/two.jpg"));
  save_image(Image(8, 8, 3, 50), dir.file("three.bmp"));
  write_bytes(dir.file("notes.txt"), {'h', 'i'});
  write_bytes(dir.file("a/broken.png"), {0x89, 'P', 'N', 'G', 1, 2, 3, 4, 5, 6, 7});

  const auto files = atelier::list_image_files(dir.path().string());
  const std::vector<std::string> expected = {dir.file("a/b/two.jpg"), dir.file("a/broken.png"),
                                             dir.file("a/one.png"), dir.file("three.bmp")};
  EXPECT_EQ(files, expected);

  std::vector<std::string> warnings;
  atelier::ImageFolderOptions options;
  options.size = 8;
  const auto folder = atelier::load_image_folder(
      dir.path().string(), options, [&](const std::string& w) { warnings.push_back(w); });
  ASSERT_EQ(folder.images.size(), 3u);
  EXPECT_EQ(folder.paths, (std::vector<std::string>{dir.file("a/b/two.jpg"), dir.file("a/one.png"),
                                                    dir.file("three.bmp")}));
  for (const Image& image : folder.images) {
    EXPECT_EQ(image.width, 8);
    EXPECT_EQ(image.height, 8);
    EXPECT_EQ(image.channels, 3);
  }
  EXPECT_NEAR(folder.images[1].pixels[0], 200, 1);
  EXPECT_EQ(folder.resized, 2);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("broken.png"), std::string::npos) << warnings[0];
  ASSERT_EQ(folder.skipped.size(), 1u);
  EXPECT_NE(folder.skipped[0].find("broken.png"), std::string::npos);

  // Unchanged sizes when size is 0; max_images limits; min_images is checked.
  const auto all = atelier::load_image_folder(dir.path().string(), {}, [](const std::string&) {});
  EXPECT_EQ(all.images[0].width, 20);
  EXPECT_EQ(all.resized, 0);
  atelier::ImageFolderOptions two;
  two.max_images = 2;
  EXPECT_EQ(atelier::load_image_folder(dir.path().string(), two, [](auto&) {}).images.size(), 2u);
  atelier::ImageFolderOptions four;
  four.min_images = 4;
  try {
    atelier::load_image_folder(dir.path().string(), four, [](auto&) {});
    ADD_FAILURE() << "too few images accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput);
    EXPECT_NE(std::string(e.what()).find(dir.path().string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find('3'), std::string::npos) << e.what();
  }
}

TEST(ImageFolder, EmptyOrMissingFolderIsAnErrorNamingIt) {
  TempDir dir;
  const std::string empty = dir.file("empty");
  fs::create_directories(empty);
  expect_bad_input_naming([&] { atelier::list_image_files(empty); }, empty);
  expect_bad_input_naming([&] { atelier::load_image_folder(empty); }, empty);
  const std::string text_only = dir.file("text_only");
  fs::create_directories(text_only);
  write_bytes(text_only + "/readme.txt", {'x'});
  expect_bad_input_naming([&] { atelier::load_image_folder(text_only); }, text_only);
  const std::string missing = dir.file("missing");
  expect_bad_input_naming([&] { atelier::list_image_files(missing); }, missing);
}

// A gallery's list file: its order kept, relative paths from the list's folder, comments, blank
// lines and Windows line ends skipped; shards by line; a bad line, a picture given as the list and
// an empty list are errors naming the list.
TEST(ImageFolder, ListFilesNamePicturesInTheirOwnOrder) {
  TempDir dir;
  fs::create_directories(dir.path() / "pictures");
  save_image(Image(8, 8, 3, 10), dir.file("pictures/b.png"));
  save_image(Image(8, 8, 3, 20), dir.file("pictures/a.png"));
  save_image(Image(8, 8, 3, 30), dir.file("elsewhere.png"));
  const std::string list = dir.file("pictures/gallery.txt");
  {
    std::ofstream out(list, std::ios::binary);
    out << "# gallery A\r\nb.png\r\n\n  a.png  \n" << dir.file("elsewhere.png") << "\n";
  }
  const std::vector<std::string> expected = {dir.file("pictures/b.png"), dir.file("pictures/a.png"),
                                             dir.file("elsewhere.png")};
  EXPECT_EQ(atelier::read_image_list(list), expected);
  EXPECT_EQ(atelier::list_image_files(list), expected);
  atelier::ImageFolderOptions second_of_two;
  second_of_two.shard_index = 1;
  second_of_two.shard_count = 2;
  const auto shard = atelier::load_image_folder(list, second_of_two);
  EXPECT_EQ(shard.paths, std::vector<std::string>{dir.file("pictures/a.png")});
  EXPECT_EQ(shard.total, 3);
  EXPECT_NEAR(shard.images[0].pixels[0], 20, 1);

  const std::string bad = dir.file("bad.txt");
  std::ofstream(bad) << "b.png\nnot a picture\n";
  expect_bad_input_naming([&] { atelier::read_image_list(bad); }, bad);
  try {
    atelier::read_image_list(bad);
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
  }
  expect_bad_input_naming([&] { atelier::list_image_files(dir.file("elsewhere.png")); },
                          dir.file("elsewhere.png"));
  const std::string empty = dir.file("empty.txt");
  std::ofstream(empty) << "# nothing yet\n";
  expect_bad_input_naming([&] { atelier::load_image_folder(empty); }, empty);
}

TEST(DataDir, EnvironmentFirstThenSharedData) {
  const char* saved = std::getenv("ATELIER_DATA_DIR");
  const std::string previous = saved ? saved : "";
  setenv("ATELIER_DATA_DIR", "/some/where", 1);
  EXPECT_EQ(atelier::default_data_dir(), "/some/where");
  unsetenv("ATELIER_DATA_DIR");
  const std::string found = atelier::default_data_dir();
  EXPECT_TRUE(fs::is_directory(found + "/digits/mnist")) << found;
  if (saved) setenv("ATELIER_DATA_DIR", previous.c_str(), 1);
}

namespace {

struct Box {
  int x, y, w, h;
  bool contains(int px, int py) const { return px >= x && py >= y && px < x + w && py < y + h; }
};

Box box_of(const nlohmann::json& entry) {
  const auto& b = entry.at("box");
  return {b[0].get<int>(), b[1].get<int>(), b[2].get<int>(), b[3].get<int>()};
}

int count_files(const fs::path& folder) {
  int n = 0;
  for (const auto& entry : fs::directory_iterator(folder)) {
    n += entry.path().extension() == ".png";
  }
  return n;
}

// Every pixel outside `box` is the same in a and b; returns how many inside differ.
int differing_pixels_only_inside(const Image& a, const Image& b, const Box& box) {
  int inside = 0;
  for (int y = 0; y < a.height; ++y) {
    for (int x = 0; x < a.width; ++x) {
      const bool same = std::equal(a.at(x, y), a.at(x, y) + 3, b.at(x, y));
      if (!same && !box.contains(x, y)) {
        ADD_FAILURE() << "pixel " << x << "," << y << " changed outside the pasted box";
        return inside;
      }
      inside += !same;
    }
  }
  return inside;
}

// An object pasted with one alpha a on two backgrounds X and Y gives
//   onto_Y - onto_X = (Y - X)(1 - a) in every channel, with the same a:
// so onto_Y is predicted from onto_X, X and Y wherever the backgrounds differ clearly.
void expect_same_overlay(const Image& onto_x, const Image& x_bg, const Image& onto_y,
                         const Image& y_bg) {
  int checked = 0;
  for (int y = 0; y < x_bg.height; ++y) {
    for (int x = 0; x < x_bg.width; ++x) {
      int best = 0;
      for (int c = 1; c < 3; ++c) {
        if (std::abs(y_bg.at(x, y)[c] - x_bg.at(x, y)[c]) >
            std::abs(y_bg.at(x, y)[best] - x_bg.at(x, y)[best])) {
          best = c;
        }
      }
      const double spread = y_bg.at(x, y)[best] - x_bg.at(x, y)[best];
      if (std::abs(spread) < 40) continue;
      const double keep = (onto_y.at(x, y)[best] - onto_x.at(x, y)[best]) / spread;  // 1 - a
      ASSERT_GT(keep, -0.05);
      ASSERT_LT(keep, 1.05);
      for (int c = 0; c < 3; ++c) {
        const double predicted = onto_x.at(x, y)[c] + keep * (y_bg.at(x, y)[c] - x_bg.at(x, y)[c]);
        ASSERT_NEAR(onto_y.at(x, y)[c], predicted, 4.0) << "pixel " << x << "," << y;
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 0);
}

}  // namespace

TEST(CompositeDataset, WritesDeterministicSetWithConsistentTruth) {
  TempDir dir;
  atelier::CompositeOptions options;
  options.out = dir.file("composite");
  options.n = 40;
  options.size = 32;
  options.seed = 7;
  options.data_dir = atelier::test::data_dir();
  const auto summary = atelier::make_composite_dataset(options);
  EXPECT_EQ(summary.train, 40);
  EXPECT_EQ(summary.test, 16);
  const fs::path out = options.out;
  EXPECT_EQ(count_files(out / "train/A"), 40);
  EXPECT_EQ(count_files(out / "train/B"), 40);
  for (const char* folder :
       {"test/A", "test/B", "test/truth/background_A", "test/truth/background_B",
        "test/truth/a_onto_b", "test/truth/b_onto_a"}) {
    EXPECT_EQ(count_files(out / folder), 16) << folder;
  }
  for (const auto& folder : summary.folders) EXPECT_TRUE(fs::is_directory(out / folder)) << folder;

  std::ifstream manifest_file(out / "manifest.json");
  const auto manifest = nlohmann::json::parse(manifest_file);
  EXPECT_EQ(manifest.at("kind"), "composite");
  EXPECT_EQ(manifest.at("n"), 40);
  EXPECT_EQ(manifest.at("size"), 32);
  EXPECT_EQ(manifest.at("seed"), 7);
  EXPECT_FALSE(manifest.at("sources").at("backgrounds").empty());
  const auto& labels = manifest.at("labels");
  ASSERT_EQ(labels.at("train").at("A").size(), 40u);
  ASSERT_EQ(labels.at("test").at("B").size(), 16u);
  std::set<int> digit_classes;
  for (const auto& entry : labels.at("train").at("A")) {
    const int label = entry.at("label");
    EXPECT_GE(label, 0);
    EXPECT_LE(label, 9);
    digit_classes.insert(label);
    const Box box = box_of(entry);
    EXPECT_GE(box.w, 32 * 0.4 - 1);  // 40-60 % of the side
    EXPECT_LE(box.w, 32 * 0.6 + 1);
    EXPECT_LE(box.x + box.w, 32);
    EXPECT_LE(box.y + box.h, 32);
  }
  EXPECT_GE(digit_classes.size(), 5u);

  const Image first = atelier::load_image((out / "train/A/00000.png").string());
  EXPECT_EQ(first.width, 32);
  EXPECT_EQ(first.height, 32);
  EXPECT_EQ(first.channels, 3);

  // Truth: test/A = background_A + digit; a_onto_b = background_B + the same digit; likewise B.
  int opaque_digit_pixels = 0;
  for (int i = 0; i < 16; ++i) {
    SCOPED_TRACE("test image " + std::to_string(i));
    char name[16];
    std::snprintf(name, sizeof name, "%05d.png", i);
    auto load = [&](const std::string& folder) {
      return atelier::load_image((out / folder / name).string());
    };
    const Image a = load("test/A"), b = load("test/B");
    const Image bg_a = load("test/truth/background_A"), bg_b = load("test/truth/background_B");
    const Image a_onto_b = load("test/truth/a_onto_b"), b_onto_a = load("test/truth/b_onto_a");
    const auto& a_entry = labels.at("test").at("A")[i];
    const auto& b_entry = labels.at("test").at("B")[i];
    const Box digit_box = box_of(a_entry), item_box = box_of(b_entry);

    EXPECT_GT(differing_pixels_only_inside(a, bg_a, digit_box), 5);
    EXPECT_GT(differing_pixels_only_inside(b, bg_b, item_box), 5);
    differing_pixels_only_inside(a_onto_b, bg_b, digit_box);
    differing_pixels_only_inside(b_onto_a, bg_a, item_box);
    expect_same_overlay(a, bg_a, a_onto_b, bg_b);
    expect_same_overlay(b, bg_b, b_onto_a, bg_a);

    // Where the digit is opaque (test/A shows the manifest's tint although its background is far
    // from it), a_onto_b shows the same digit colour.
    const auto& tint = a_entry.at("tint");
    for (int y = 0; y < 32; ++y) {
      for (int x = 0; x < 32; ++x) {
        int off_tint = 0, background_off_tint = 0;
        for (int c = 0; c < 3; ++c) {
          off_tint = std::max(off_tint, std::abs(a.at(x, y)[c] - tint[c].get<int>()));
          background_off_tint =
              std::max(background_off_tint, std::abs(bg_a.at(x, y)[c] - tint[c].get<int>()));
        }
        if (off_tint > 2 || background_off_tint < 60) continue;
        ++opaque_digit_pixels;
        EXPECT_TRUE(digit_box.contains(x, y));
        for (int c = 0; c < 3; ++c) EXPECT_NEAR(a_onto_b.at(x, y)[c], a.at(x, y)[c], 12);
      }
    }
  }
  EXPECT_GT(opaque_digit_pixels, 16);

  // Same seed: identical files; another seed: different pictures.
  atelier::CompositeOptions again = options;
  again.out = dir.file("again");
  atelier::make_composite_dataset(again);
  for (const auto& entry : fs::recursive_directory_iterator(out)) {
    if (!entry.is_regular_file()) continue;
    const fs::path twin = fs::path(again.out) / fs::relative(entry.path(), out);
    ASSERT_TRUE(fs::exists(twin)) << twin;
    ASSERT_EQ(read_bytes(entry.path().string()), read_bytes(twin.string())) << twin;
  }
  atelier::CompositeOptions other = options;
  other.out = dir.file("other");
  other.n = 1;
  other.seed = 8;
  atelier::make_composite_dataset(other);
  EXPECT_NE(read_bytes(dir.file("other/test/A/00000.png")),
            read_bytes(dir.file("composite/test/A/00000.png")));
}

// How far the pasted objects of a set stand out: the mean over its test images of the largest
// per-channel change the object makes to its background (over the pixels it changes).
double mean_object_contrast(const fs::path& out, const std::string& domain) {
  double sum = 0;
  for (int i = 0; i < 16; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "%05d.png", i);
    const Image with = atelier::load_image((out / "test" / domain / name).string());
    const Image without =
        atelier::load_image((out / "test/truth" / ("background_" + domain) / name).string());
    double change = 0;
    int changed = 0;
    for (int y = 0; y < with.height; ++y)
      for (int x = 0; x < with.width; ++x) {
        int most = 0;
        for (int c = 0; c < 3; ++c)
          most = std::max(most, std::abs(with.at(x, y)[c] - without.at(x, y)[c]));
        if (most > 2) {
          change += most;
          ++changed;
        }
      }
    sum += changed ? change / changed : 0;
  }
  return sum / 16;
}

// Sets like people's own: faint objects, light and dark ones, and objects of a chosen size.
TEST(CompositeDataset, ContrastAndSizeOfTheObjectsAreOptions) {
  TempDir dir;
  std::map<std::string, double> contrast;
  for (const std::string kind : {"high", "mixed", "low"}) {
    atelier::CompositeOptions options;
    options.out = dir.file(kind);
    options.n = 1;
    options.size = 32;
    options.seed = 3;
    options.contrast = kind;
    options.min_cover = 0.25;
    options.max_cover = 0.5;
    options.data_dir = atelier::test::data_dir();
    atelier::make_composite_dataset(options);
    contrast[kind] = mean_object_contrast(options.out, "A");
    std::ifstream manifest_file(fs::path(options.out) / "manifest.json");
    const auto manifest = nlohmann::json::parse(manifest_file);
    EXPECT_EQ(manifest.at("contrast"), kind);
    for (const auto& entry : manifest.at("labels").at("test").at("B")) {
      EXPECT_GE(box_of(entry).w, 32 * 0.25 - 1);
      EXPECT_LE(box_of(entry).w, 32 * 0.5 + 1);
    }
    if (kind == "mixed") {  // half of the tints light, half dark
      int dark = 0;
      for (const auto& entry : manifest.at("labels").at("test").at("A")) {
        const auto& t = entry.at("tint");
        dark += std::max({t[0].get<int>(), t[1].get<int>(), t[2].get<int>()}) < 100;
      }
      EXPECT_GT(dark, 3);
      EXPECT_LT(dark, 13);
    }
  }
  // Measured with seed 3: low 26, high 56 (anti-aliased edges count with their small changes).
  EXPECT_LT(contrast["low"], 35);
  EXPECT_GT(contrast["high"], 1.6 * contrast["low"]);
  EXPECT_GT(contrast["mixed"], 1.6 * contrast["low"]);

  atelier::CompositeOptions bad;
  bad.out = dir.file("bad");
  bad.n = 1;
  bad.data_dir = atelier::test::data_dir();
  bad.contrast = "neon";
  EXPECT_THROW(atelier::make_composite_dataset(bad), Error);
  bad.contrast = "low";
  bad.min_cover = 0.6;
  bad.max_cover = 0.3;
  EXPECT_THROW(atelier::make_composite_dataset(bad), Error);
  EXPECT_FALSE(fs::exists(bad.out));
}

TEST(CompositeDataset, RefusesBadOptionsAndForeignFolders) {
  TempDir dir;
  atelier::CompositeOptions options;
  options.out = dir.file("set");
  options.n = 0;
  options.size = 32;
  options.data_dir = atelier::test::data_dir();
  EXPECT_THROW(atelier::make_composite_dataset(options), Error);

  // A folder holding someone's files is never written into.
  fs::create_directories(options.out);
  write_bytes(options.out + "/precious.txt", {'x'});
  options.n = 1;
  try {
    atelier::make_composite_dataset(options);
    ADD_FAILURE() << "wrote into a foreign folder";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Usage);
    EXPECT_NE(std::string(e.what()).find(options.out), std::string::npos) << e.what();
  }
  EXPECT_TRUE(fs::exists(options.out + "/precious.txt"));

  // Missing sources: the error names what is missing.
  options.out = dir.file("set2");
  options.data_dir = dir.file("no-data");
  fs::create_directories(options.data_dir + "/images");
  save_image(Image(64, 64, 3, 90), options.data_dir + "/images/photo.png");
  expect_bad_input_naming([&] { atelier::make_composite_dataset(options); },
                          "train-images-idx3-ubyte.gz");
  EXPECT_FALSE(fs::exists(options.out));
}

TEST(MnistmDataset, WritesLabelledDigitsOnPhotoCrops) {
  TempDir dir;
  atelier::MnistmOptions options;
  options.out = dir.file("mnistm");
  options.n = 20;
  options.size = 32;
  options.data_dir = atelier::test::data_dir();
  const auto summary = atelier::make_mnistm_dataset(options);
  EXPECT_EQ(summary.train, 20);
  EXPECT_EQ(summary.test, 16);
  const fs::path out = options.out;
  EXPECT_EQ(count_files(out / "train"), 20);
  EXPECT_EQ(count_files(out / "test"), 16);

  std::ifstream manifest_file(out / "manifest.json");
  const auto manifest = nlohmann::json::parse(manifest_file);
  EXPECT_EQ(manifest.at("kind"), "mnistm");
  const auto& train_labels = manifest.at("labels").at("train");
  ASSERT_EQ(train_labels.size(), 20u);

  // labels.csv agrees with the manifest and with MNIST's own labels.
  const auto mnist_labels =
      atelier::read_idx(atelier::test::data_file("digits/mnist/train-labels-idx1-ubyte.gz"));
  std::ifstream csv(out / "train/labels.csv");
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line, "file,label");
  int rows = 0;
  while (std::getline(csv, line)) {
    const auto& entry = train_labels.at(rows);
    EXPECT_EQ(line, entry.at("file").get<std::string>() + "," +
                        std::to_string(entry.at("label").get<int>()));
    EXPECT_EQ(entry.at("label").get<int>(), mnist_labels.data.at(entry.at("source").get<int>()));
    ++rows;
  }
  EXPECT_EQ(rows, 20);

  // The blend, checked exactly on a one-colour "photo": out = |colour - digit| per channel. The
  // set is rebuilt into the same folder, which replaces the earlier dataset there.
  TempDir plain;
  fs::create_directories(plain.path() / "photos");
  Image photo(300, 200, 3);
  for (std::size_t i = 0; i < photo.pixels.size(); i += 3) {
    photo.pixels[i] = 200, photo.pixels[i + 1] = 90, photo.pixels[i + 2] = 20;
  }
  save_image(photo, plain.file("photos/plain.png"));
  atelier::MnistmOptions flat = options;
  flat.n = 1;
  flat.backgrounds = plain.file("photos");
  atelier::make_mnistm_dataset(flat);
  EXPECT_EQ(count_files(out / "train"), 1);
  std::ifstream flat_manifest_file(out / "manifest.json");
  const auto flat_manifest = nlohmann::json::parse(flat_manifest_file);
  const int source = flat_manifest.at("labels").at("test").at(0).at("source");
  const auto mnist =
      atelier::read_idx(atelier::test::data_file("digits/mnist/t10k-images-idx3-ubyte.gz"));
  Image digit(28, 28, 1);
  std::copy_n(mnist.data.begin() + source * 784, 784, digit.pixels.begin());
  digit = atelier::resize_image(digit, 32, 32);
  const Image blended = atelier::load_image((out / "test/00000.png").string());
  ASSERT_EQ(blended.width, 32);
  const int colour[3] = {200, 90, 20};
  int strokes = 0;
  for (int y = 0; y < 32; ++y) {
    for (int x = 0; x < 32; ++x) {
      const int d = digit.at(x, y)[0];
      strokes += d > 128;
      for (int c = 0; c < 3; ++c) {
        ASSERT_NEAR(blended.at(x, y)[c], std::abs(colour[c] - d), 1) << x << "," << y;
      }
    }
  }
  EXPECT_GT(strokes, 20);
}
