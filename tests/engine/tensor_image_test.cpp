// Plain images <-> [-1, 1] float tensors (core/tensor_image.h).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "atelier/error.h"
#include "core/tensor_image.h"
#include "test_support.h"

namespace atelier {
namespace {

Image pattern(int width, int height, int channels, int seed = 0) {
  Image image(width, height, channels);
  for (std::size_t i = 0; i < image.pixels.size(); ++i) {
    image.pixels[i] = static_cast<std::uint8_t>((i * 37 + seed * 11 + i / 7) % 256);
  }
  return image;
}

TEST(TensorImage, ShapeLayoutAndRangeForOddWidths) {
  Image image(33, 17, 3, 0);
  image.at(32, 16)[0] = 255;  // bottom-right pure red
  image.at(1, 0)[2] = 255;    // blue at x = 1, y = 0
  const torch::Tensor t = image_to_tensor(image);
  ASSERT_EQ(t.sizes(), (std::vector<std::int64_t>{1, 3, 17, 33}));
  EXPECT_EQ(t.scalar_type(), torch::kFloat);
  EXPECT_FLOAT_EQ(t[0][0][16][32].item<float>(), 1.0f);
  EXPECT_FLOAT_EQ(t[0][1][16][32].item<float>(), -1.0f);
  EXPECT_FLOAT_EQ(t[0][2][0][1].item<float>(), 1.0f);
  EXPECT_FLOAT_EQ(t.min().item<float>(), -1.0f);
  EXPECT_FLOAT_EQ(t.max().item<float>(), 1.0f);
}

TEST(TensorImage, Uint8RoundTripIsExact) {
  const Image image = pattern(33, 17, 3);
  EXPECT_EQ(tensor_to_image(image_to_tensor(image)).pixels, image.pixels);
  // Every byte value survives.
  Image ramp(256, 1, 3);
  for (int x = 0; x < 256; ++x) std::fill_n(ramp.at(x, 0), 3, static_cast<std::uint8_t>(x));
  EXPECT_EQ(tensor_to_image(image_to_tensor(ramp)).pixels, ramp.pixels);
  // 3 x H x W and double tensors are accepted too.
  const torch::Tensor chw = image_to_tensor(image)[0].to(torch::kDouble);
  EXPECT_EQ(tensor_to_image(chw).pixels, image.pixels);
}

TEST(TensorImage, ValuesBeyondTheRangeAreClamped) {
  torch::Tensor t = torch::zeros({1, 3, 2, 3});
  t[0][0][0][0] = -1.0f;
  t[0][0][0][1] = 1.0f;
  t[0][0][0][2] = 7.0f;
  t[0][0][1][0] = -3.0f;
  t[0][0][1][1] = std::nanf("");
  t[0][0][1][2] = 0.999f;
  const Image image = tensor_to_image(t);
  ASSERT_EQ(image.channels, 3);
  EXPECT_EQ(image.at(0, 0)[0], 0);
  EXPECT_EQ(image.at(1, 0)[0], 255);
  EXPECT_EQ(image.at(2, 0)[0], 255);
  EXPECT_EQ(image.at(0, 1)[0], 0);
  EXPECT_EQ(image.at(1, 1)[0], 128);  // NaN reads as 0, the middle
  EXPECT_EQ(image.at(2, 1)[0], 255);
  EXPECT_EQ(image.at(0, 0)[1], 128);
}

TEST(TensorImage, GreyIsReplicatedAndAlphaCompositedOverWhite) {
  const Image grey = pattern(5, 3, 1);
  const Image from_grey = tensor_to_image(image_to_tensor(grey));
  ASSERT_EQ(from_grey.channels, 3);
  for (int i = 0; i < 15; ++i) {
    for (int c = 0; c < 3; ++c) EXPECT_EQ(from_grey.pixels[3 * i + c], grey.pixels[i]);
  }
  Image rgba(2, 1, 4);
  const std::uint8_t pixels[] = {10, 20, 30, 255, 10, 20, 30, 0};
  std::copy(std::begin(pixels), std::end(pixels), rgba.pixels.begin());
  const Image from_rgba = tensor_to_image(image_to_tensor(rgba));
  EXPECT_EQ(from_rgba.at(0, 0)[1], 20);
  EXPECT_EQ(from_rgba.at(1, 0)[1], 255);
}

TEST(TensorImage, BatchesKeepOrderAndRefuseMixedSizes) {
  const std::vector<Image> images = {pattern(7, 5, 3, 1), pattern(7, 5, 3, 2), pattern(7, 5, 3, 3)};
  const torch::Tensor batch = images_to_tensor(images);
  ASSERT_EQ(batch.sizes(), (std::vector<std::int64_t>{3, 3, 5, 7}));
  const std::vector<Image> back = tensor_to_images(batch);
  ASSERT_EQ(back.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(back[i].pixels, images[i].pixels);
  EXPECT_THROW(images_to_tensor({pattern(7, 5, 3), pattern(5, 7, 3)}), Error);
  EXPECT_THROW(images_to_tensor({}), Error);
  EXPECT_THROW(tensor_to_image(torch::zeros({2, 3, 4, 4})), Error);
  EXPECT_THROW(tensor_to_image(torch::zeros({4, 4, 4})), Error);
}

TEST(TensorImage, VideoRoundTrip) {
  Video video;
  video.fps = 12.5;
  for (int f = 0; f < 4; ++f) video.frames.push_back(pattern(9, 5, 3, f));
  const torch::Tensor t = video_to_tensor(video);
  ASSERT_EQ(t.sizes(), (std::vector<std::int64_t>{1, 3, 4, 5, 9}));
  // Frame 2 sits at T index 2.
  EXPECT_EQ(tensor_to_image(t[0].select(1, 2)).pixels, video.frames[2].pixels);
  const Video back = tensor_to_video(t, video.fps);
  EXPECT_DOUBLE_EQ(back.fps, 12.5);
  ASSERT_EQ(back.frames.size(), 4u);
  for (int f = 0; f < 4; ++f) EXPECT_EQ(back.frames[f].pixels, video.frames[f].pixels);
  EXPECT_EQ(tensor_to_video(t[0], 25).frames.size(), 4u);  // 3 x T x H x W also accepted
}

TEST(TensorImage, RealVideoFramesRoundTrip) {
  VideoReadOptions options;
  options.max_frames = 3;
  options.width = 65;
  const Video video = read_video(test::data_file("video/tree.avi"), options);
  const Video back = tensor_to_video(video_to_tensor(video), video.fps);
  ASSERT_EQ(back.frames.size(), 3u);
  EXPECT_EQ(back.width(), 65);
  for (int f = 0; f < 3; ++f) EXPECT_EQ(back.frames[f].pixels, video.frames[f].pixels);
}

}  // namespace
}  // namespace atelier
