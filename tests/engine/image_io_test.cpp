// Image files and plain-image geometry (atelier/image.h) on synthetic and real pictures.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "atelier/error.h"
#include "atelier/image.h"
#include "test_support.h"

namespace atelier {
namespace {

namespace fs = std::filesystem;
using test::data_file;
using test::TempDir;

// A deterministic pattern in which every channel of every pixel differs from its neighbours.
Image pattern(int width, int height, int channels) {
  Image image(width, height, channels);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      for (int c = 0; c < channels; ++c) {
        image.at(x, y)[c] = static_cast<std::uint8_t>((x * 7 + y * 13 + c * 71 + x * y) % 256);
      }
    }
  }
  return image;
}

double mean_abs_error(const Image& a, const Image& b) {
  EXPECT_EQ(a.pixels.size(), b.pixels.size());
  double sum = 0;
  for (std::size_t i = 0; i < a.pixels.size(); ++i) sum += std::abs(a.pixels[i] - b.pixels[i]);
  return sum / a.pixels.size();
}

std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

// Expects `call` to throw Error of `kind` whose message names `name`.
template <typename Call>
void expect_error_naming(Call call, ErrorKind kind, const std::string& name) {
  try {
    call();
    ADD_FAILURE() << "no error for " << name;
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
  }
}

// A whole real photo cropped to an odd size, for lossy round trips.
Image odd_photo() {
  Image photo = load_image(data_file("images/astronaut.png"));
  return resize_image(photo, 101, 67);
}

TEST(ImageIo, PngRoundTripIsExactForOddWidths) {
  TempDir dir;
  for (int channels : {1, 3, 4}) {
    const Image original = pattern(33, 17, channels);
    const std::string path = dir.file("odd" + std::to_string(channels) + ".png");
    save_image(original, path);
    const Image loaded = load_image(path, /*keep_channels=*/true);
    ASSERT_EQ(loaded.width, 33);
    ASSERT_EQ(loaded.height, 17);
    ASSERT_EQ(loaded.channels, channels);
    EXPECT_EQ(loaded.pixels, original.pixels) << channels << " channels";

    const Image decoded = decode_image(encode_png(original), "memory", true);
    EXPECT_EQ(decoded.pixels, original.pixels);
  }
}

TEST(ImageIo, ChannelOrderIsRgbOnDisk) {
  TempDir dir;
  Image red(3, 2, 3, 0);
  red.at(0, 0)[0] = 255;  // pure red at the top-left
  const std::string path = dir.file("red.bmp");
  save_image(red, path);
  // A 24-bit BMP stores rows bottom-up as B, G, R: the top-left pixel is the second row's first.
  const std::vector<std::uint8_t> bytes = read_bytes(path);
  ASSERT_GT(bytes.size(), 54u);
  const std::uint32_t offset = bytes[10] | (bytes[11] << 8) | (bytes[12] << 16);
  const std::size_t row_bytes = 12;  // 3 pixels * 3 bytes, padded to a multiple of 4
  const std::uint8_t* top_left = bytes.data() + offset + row_bytes;
  EXPECT_EQ(top_left[0], 0);
  EXPECT_EQ(top_left[1], 0);
  EXPECT_EQ(top_left[2], 255);

  const Image loaded = load_image(path);
  EXPECT_EQ(loaded.at(0, 0)[0], 255);
  EXPECT_EQ(loaded.at(0, 0)[1], 0);
  EXPECT_EQ(loaded.at(0, 0)[2], 0);
  EXPECT_EQ(loaded.at(1, 0)[0], 0);
}

TEST(ImageIo, GreyIsExpandedUnlessKept) {
  const Image brick = load_image(data_file("images/brick.png"), true);
  ASSERT_EQ(brick.channels, 1);
  EXPECT_EQ(brick.width, 512);
  const Image rgb = load_image(data_file("images/brick.png"));
  ASSERT_EQ(rgb.channels, 3);
  for (int x : {0, 17, 511}) {
    const std::uint8_t grey = brick.at(x, 100)[0];
    EXPECT_EQ(rgb.at(x, 100)[0], grey);
    EXPECT_EQ(rgb.at(x, 100)[1], grey);
    EXPECT_EQ(rgb.at(x, 100)[2], grey);
  }
}

TEST(ImageIo, AlphaIsCompositedOverWhiteUnlessKept) {
  TempDir dir;
  Image rgba(3, 1, 4);
  const std::uint8_t pixels[] = {10, 20, 30, 0, 10, 20, 30, 255, 0, 0, 0, 128};
  std::copy(std::begin(pixels), std::end(pixels), rgba.pixels.begin());
  const std::string path = dir.file("alpha.png");
  save_image(rgba, path);
  EXPECT_EQ(load_image(path, true).pixels, rgba.pixels);

  const Image rgb = load_image(path);
  ASSERT_EQ(rgb.channels, 3);
  EXPECT_EQ(rgb.at(0, 0)[0], 255);  // transparent: white
  EXPECT_EQ(rgb.at(1, 0)[0], 10);   // opaque: the colour
  EXPECT_EQ(rgb.at(1, 0)[2], 30);
  EXPECT_NEAR(rgb.at(2, 0)[1], 127, 1);  // half-transparent black: mid grey
}

TEST(ImageIo, LossyAndOtherFormatsRoundTripWithinTolerance) {
  TempDir dir;
  const Image photo = odd_photo();
  const struct {
    const char* name;
    double max_mean_error;
  } cases[] = {{"p.jpg", 5.0}, {"p.jpeg", 5.0}, {"p.bmp", 0.0}, {"p.webp", 4.0}};
  for (const auto& c : cases) {
    const std::string path = dir.file(c.name);
    save_image(photo, path);
    const Image loaded = load_image(path);
    ASSERT_EQ(loaded.width, 101) << c.name;
    ASSERT_EQ(loaded.height, 67) << c.name;
    const double error = mean_abs_error(photo, loaded);
    EXPECT_LE(error, c.max_mean_error) << c.name;
  }
  // JPEG must really be lossy-but-close, not a copy in another format.
  EXPECT_GT(mean_abs_error(photo, load_image(dir.file("p.jpg"))), 0.0);
}

TEST(ImageIo, RealJpegLoadsAsRgb) {
  const Image fruits = load_image(data_file("images/fruits.jpg"));
  EXPECT_EQ(fruits.channels, 3);
  EXPECT_GT(fruits.width, 400);
  EXPECT_EQ(fruits.pixels.size(), fruits.stride() * fruits.height);
}

TEST(ImageIo, PngColourProfilesAreSkippedWithoutLibraryWarnings) {
  // astronaut.png carries an sRGB profile that libpng calls "known incorrect" on stderr.
  std::ifstream in(data_file("images/astronaut.png"), std::ios::binary);
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                        std::istreambuf_iterator<char>());
  ASSERT_NE(std::search(bytes.begin(), bytes.end(), std::begin("iCCP"), std::end("iCCP") - 1),
            bytes.end());
  testing::internal::CaptureStderr();
  const Image astronaut = decode_image(bytes, "astronaut.png");
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
  EXPECT_EQ(astronaut.width, 512);
  EXPECT_EQ(astronaut.height, 512);
}

TEST(ImageIo, MissingEmptyCorruptAndTruncatedFilesNameTheFile) {
  TempDir dir;
  expect_error_naming([&] { load_image(dir.file("absent.png")); }, ErrorKind::BadInput,
                      "absent.png");
  write_bytes(dir.file("empty.png"), {});
  expect_error_naming([&] { load_image(dir.file("empty.png")); }, ErrorKind::BadInput, "empty.png");
  std::vector<std::uint8_t> garbage(4000);
  for (std::size_t i = 0; i < garbage.size(); ++i) garbage[i] = (i * 2654435761u) >> 13;
  write_bytes(dir.file("garbage.png"), garbage);
  expect_error_naming([&] { load_image(dir.file("garbage.png")); }, ErrorKind::BadInput,
                      "garbage.png");

  const Image photo = odd_photo();
  for (const char* name : {"cut.png", "cut.jpg", "cut.webp", "cut.bmp"}) {
    save_image(photo, dir.file(name));
    std::vector<std::uint8_t> bytes = read_bytes(dir.file(name));
    bytes.resize(bytes.size() / 2);
    write_bytes(dir.file(name), bytes);
    expect_error_naming([&] { load_image(dir.file(name)); }, ErrorKind::BadInput, name);
  }
  expect_error_naming(
      [&] {
        decode_image({1, 2, 3}, "blob-name");
      },
      ErrorKind::BadInput, "blob-name");
}

TEST(ImageIo, HugeImagesAreRefusedBeforeDecoding) {
  // PNG headers claiming 20000 x 20000 pixels, and 3445343304 x 2915317013 (found by fuzzing:
  // the product of the two sides overflows 64 bits); the rest of the file is missing.
  for (const std::array<std::uint8_t, 8>& sides :
       {std::array<std::uint8_t, 8>{0, 0, 0x4e, 0x20, 0, 0, 0x4e, 0x20},
        std::array<std::uint8_t, 8>{0xcd, 0x5b, 0xc4, 0x48, 0xad, 0xc4, 0x35, 0x15}}) {
    std::vector<std::uint8_t> bytes = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
                                       0,    0,   0,   13,  'I',  'H',  'D',  'R'};
    bytes.insert(bytes.end(), sides.begin(), sides.end());
    bytes.insert(bytes.end(), {8, 2, 0, 0, 0, 0, 0, 0, 0});
    try {
      decode_image(bytes, "huge.png");
      ADD_FAILURE() << "huge image accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::BadInput);
      EXPECT_NE(std::string(e.what()).find("megapixels"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("huge.png"), std::string::npos) << e.what();
    }
  }
}

TEST(ImageIo, SavingReplacesAtomicallyAndLeavesNoTemporaryFiles) {
  TempDir dir;
  const std::string path = dir.file("out.png");
  save_image(pattern(9, 5, 3), path);
  save_image(pattern(33, 17, 3), path);  // replaces the first
  save_image(pattern(8, 8, 3), dir.file("b.jpg"));
  EXPECT_EQ(load_image(path).width, 33);
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    ++files;
    EXPECT_EQ(entry.path().string().find(".tmp"), std::string::npos) << entry.path();
  }
  EXPECT_EQ(files, 2);

  expect_error_naming([&] { save_image(pattern(4, 4, 3), dir.file("no/such/folder/x.png")); },
                      ErrorKind::Io, "x.png");
  expect_error_naming([&] { save_image(pattern(4, 4, 3), dir.file("x.tiff")); }, ErrorKind::Usage,
                      "x.tiff");
}

TEST(ImageGeometry, ResizeCropFitAndGrid) {
  const Image image = pattern(33, 17, 3);
  const Image small = resize_image(image, 16, 8);
  EXPECT_EQ(small.width, 16);
  EXPECT_EQ(small.height, 8);
  EXPECT_EQ(small.pixels.size(), 16u * 8 * 3);
  const Image large = resize_image(pattern(7, 5, 1), 15, 11);
  EXPECT_EQ(large.channels, 1);
  EXPECT_EQ(large.pixels.size(), 15u * 11);

  // Left third red, middle green, right third blue: the centre crop is all green.
  Image bands(30, 10, 3, 0);
  for (int y = 0; y < 10; ++y) {
    for (int x = 0; x < 30; ++x) bands.at(x, y)[x / 10] = 255;
  }
  const Image square = center_crop_square(bands, 10);
  ASSERT_EQ(square.width, 10);
  ASSERT_EQ(square.height, 10);
  for (int x = 0; x < 10; ++x) {
    EXPECT_EQ(square.at(x, 5)[1], 255);
    EXPECT_EQ(square.at(x, 5)[0], 0);
  }
  const Image small_square = center_crop_square(bands, 5);
  EXPECT_EQ(small_square.width, 5);
  EXPECT_NEAR(small_square.at(2, 2)[1], 255, 1);

  const Image fitted = fit_within(image, 11);
  EXPECT_EQ(fitted.width, 11);
  EXPECT_EQ(fitted.height, 6);
  EXPECT_EQ(fit_within(image, 100).pixels, image.pixels);

  const Image grid = make_grid({image, image, image}, 2, 3, 255);
  EXPECT_EQ(grid.width, 33 * 2 + 3);
  EXPECT_EQ(grid.height, 17 * 2 + 3);
  EXPECT_EQ(grid.at(33, 0)[0], 255);                    // the gap
  EXPECT_EQ(grid.at(0, 20)[2], image.at(0, 0)[2]);      // third image, second row
  EXPECT_EQ(grid.at(40, 20)[0], 255);                   // empty fourth cell stays background
  EXPECT_EQ(grid.at(36 + 5, 0)[1], image.at(5, 0)[1]);  // second image
}

TEST(ImageGeometry, FileNames) {
  EXPECT_TRUE(is_image_file_name("a/b/Photo.JPG"));
  EXPECT_TRUE(is_image_file_name("x.webp"));
  EXPECT_TRUE(is_image_file_name("x.png"));
  EXPECT_FALSE(is_image_file_name("x.gif"));
  EXPECT_FALSE(is_image_file_name("png"));
}

}  // namespace
}  // namespace atelier
