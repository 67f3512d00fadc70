// Metrics on real photos and videos: fidelity, patch SWD, diversity, structure, time.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "atelier/error.h"
#include "atelier/image.h"
#include "atelier/metrics.h"
#include "atelier/video.h"
#include "test_support.h"

namespace atelier {
namespace {

using test::data_file;

Image photo(const std::string& name, int size = 128) {
  return center_crop_square(load_image(data_file("images/" + name)), size);
}

Image mirrored(const Image& image) {
  Image out = image;
  for (int y = 0; y < image.height; ++y)
    for (int x = 0; x < image.width; ++x)
      std::copy_n(image.at(x, y), image.channels, out.at(image.width - 1 - x, y));
  return out;
}

// Adds seeded Gaussian noise of `sigma` (0..255 scale), clamped.
Image noisy(const Image& image, double sigma, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0.0, sigma);
  Image out = image;
  for (auto& value : out.pixels)
    value = static_cast<std::uint8_t>(std::clamp(std::lround(value + noise(rng)), 0L, 255L));
  return out;
}

// Per-channel gain and offset, clamped: a brightness or colour change that keeps the layout.
Image recoloured(const Image& image, double r, double g, double b, double offset) {
  Image out = image;
  const double gain[3] = {r, g, b};
  for (std::size_t i = 0; i < out.pixels.size(); ++i)
    out.pixels[i] = static_cast<std::uint8_t>(
        std::clamp(std::lround(image.pixels[i] * gain[i % 3] + offset), 0L, 255L));
  return out;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// ---- PSNR / SSIM ----

TEST(Psnr, InfiniteForIdenticalAndFallsWithNoise) {
  const Image x = photo("baboon.jpg");
  EXPECT_TRUE(std::isinf(psnr(x, x)));
  const double light = psnr(x, noisy(x, 5, 1)), heavy = psnr(x, noisy(x, 25, 2));
  EXPECT_GT(light, 32.0);
  EXPECT_LT(light, 36.0);  // sigma 5 gives about 34 dB
  EXPECT_LT(heavy, light - 10.0);
}

TEST(Psnr, MatchesTheFormulaForAConstantOffset) {
  // MSE 100 on every value: 10 log10(255^2 / 100).
  EXPECT_NEAR(psnr(Image(20, 10, 3, 50), Image(20, 10, 3, 60)), 28.1308, 1e-3);
}

TEST(Psnr, RejectsImagesOfDifferentSizes) {
  EXPECT_THROW(psnr(Image(16, 16, 3), Image(16, 17, 3)), Error);
  EXPECT_THROW(psnr(Image(), Image()), Error);
}

TEST(Ssim, OneForIdenticalAndFallsWithNoise) {
  const Image x = photo("fruits.jpg");
  EXPECT_DOUBLE_EQ(ssim(x, x), 1.0);
  const double light = ssim(x, noisy(x, 5, 1)), heavy = ssim(x, noisy(x, 40, 2));
  EXPECT_LT(light, 1.0);
  EXPECT_GT(light, 0.8);
  EXPECT_LT(heavy, light - 0.2);
  EXPECT_LT(ssim(x, photo("building.jpg")), 0.4);
}

TEST(Ssim, RejectsImagesSmallerThanTheWindow) {
  EXPECT_THROW(ssim(Image(10, 40, 3), Image(10, 40, 3)), Error);
}

// ---- Patch SWD ----

TEST(PatchSwd, ZeroForTheSameImageWithLevelsDownTo16Pixels) {
  const Image x = photo("baboon.jpg");
  const SwdResult result = patch_swd(x, x);
  ASSERT_EQ(result.levels.size(), 4u);  // 128, 64, 32, 16
  EXPECT_EQ(result.levels.front().width, 128);
  EXPECT_EQ(result.levels.back().width, 16);
  EXPECT_EQ(result.levels.back().patches, 10 * 10);
  for (const SwdLevel& level : result.levels) EXPECT_EQ(level.distance, 0.0);
  EXPECT_EQ(result.mean, 0.0);
}

TEST(PatchSwd, MirrorIsCloseAndOtherPhotosAreFar) {
  const Image x = photo("baboon.jpg");
  const SwdResult to_mirror = patch_swd(x, mirrored(x));
  EXPECT_GT(to_mirror.mean, 0.0);
  for (const char* other : {"building.jpg", "fruits.jpg", "home.jpg", "gravel.png"}) {
    const SwdResult to_other = patch_swd(x, photo(other));
    std::printf("SWD baboon to mirror %.4f (finest %.4f), to %s %.4f (finest %.4f)\n",
                to_mirror.mean, to_mirror.levels[0].distance, other, to_other.mean,
                to_other.levels[0].distance);
    EXPECT_LT(to_mirror.levels[0].distance, 0.35 * to_other.levels[0].distance) << other;
    // The 16 px level has only 100 patches per side, so the mean carries more sampling noise.
    if (std::string(other) != "gravel.png") {
      EXPECT_LT(to_mirror.mean, 0.5 * to_other.mean) << other;
    }
  }
}

TEST(PatchSwd, SymmetricAndRepeatableForASeed) {
  const Image a = photo("fruits.jpg"), b = photo("home.jpg");
  const SwdResult ab = patch_swd(a, b), ba = patch_swd(b, a), again = patch_swd(a, b);
  EXPECT_DOUBLE_EQ(ab.mean, ba.mean);
  EXPECT_DOUBLE_EQ(ab.mean, again.mean);
  SwdOptions other_seed;
  other_seed.seed = 7;
  const double reseeded = patch_swd(a, b, other_seed).mean;
  EXPECT_NE(reseeded, ab.mean);
  EXPECT_NEAR(reseeded, ab.mean, 0.15 * ab.mean);  // the estimate, not the seed, dominates
}

TEST(PatchSwd, ComparesImagesOfDifferentSizes) {
  const Image big = photo("baboon.jpg", 160), small = photo("baboon.jpg", 120);
  SwdOptions every_patch;
  every_patch.max_patches = 1 << 20;
  const SwdResult same_photo = patch_swd(big, small, every_patch);
  const SwdResult other_photo = patch_swd(big, photo("coffee.png", 120), every_patch);
  ASSERT_EQ(same_photo.levels.size(), 3u);  // the smaller image allows 120, 60, 30 (15 < 16)
  EXPECT_EQ(same_photo.levels[0].width, 160);
  EXPECT_EQ(same_photo.levels[0].patches, 154 * 154);  // the larger count; the other resampled
  EXPECT_GT(same_photo.mean, 0.0);
  EXPECT_LT(same_photo.mean, 0.5 * other_photo.mean);
}

TEST(PatchSwd, ImageSetsPoolTheirPatches) {
  const std::vector<Image> set{photo("baboon.jpg"), photo("fruits.jpg")};
  const std::vector<Image> swapped{photo("fruits.jpg"), photo("baboon.jpg")};
  const std::vector<Image> other{photo("building.jpg"), photo("home.jpg")};
  EXPECT_EQ(patch_swd(set, set).mean, 0.0);
  EXPECT_LT(patch_swd(set, swapped).mean, 0.5 * patch_swd(set, other).mean);
}

TEST(PatchSwd, RejectsEmptyInputsAndBadOptions) {
  EXPECT_THROW(patch_swd(Image(), Image(32, 32, 3)), Error);
  EXPECT_THROW(patch_swd(Image(5, 32, 3), Image(32, 32, 3)), Error);
  SwdOptions bad;
  bad.directions = 0;
  EXPECT_THROW(patch_swd(Image(32, 32, 3), Image(32, 32, 3), bad), Error);
}

// ---- Videos ----

Video clip(const std::string& name, int frames, int width) {
  VideoReadOptions options;
  options.max_frames = frames;
  options.width = width;
  return read_video(data_file("video/" + name), options);
}

Video reordered(const Video& video, const std::vector<int>& order) {
  Video out;
  out.fps = video.fps;
  for (int index : order) out.frames.push_back(video.frames[index]);
  return out;
}

TEST(VideoPatchSwd, SpatioTemporalPatchesSeeMotion) {
  const Video walk = clip("vtest.avi", 24, 96);  // people walking past a fixed camera
  ASSERT_EQ(walk.frames.size(), 24u);
  std::vector<int> backwards(24), shuffled(24), frozen(24, 12);
  for (int i = 0; i < 24; ++i) backwards[i] = 23 - i;
  for (int i = 0; i < 24; ++i) shuffled[i] = (i * 7) % 24;  // a fixed permutation
  const auto start = std::chrono::steady_clock::now();
  const SwdResult self = video_patch_swd(walk, walk);
  const double elapsed = seconds_since(start);
  const double to_backwards = video_patch_swd(walk, reordered(walk, backwards)).mean;
  const double to_shuffled = video_patch_swd(walk, reordered(walk, shuffled)).mean;
  const double to_frozen = video_patch_swd(walk, reordered(walk, frozen)).mean;
  const double to_other = video_patch_swd(walk, clip("tree.avi", 24, 96)).mean;
  std::printf(
      "video SWD vtest: self %.4f (%.0f ms), backwards %.4f, shuffled %.4f, frozen %.4f, "
      "tree %.4f\n",
      self.mean, elapsed * 1e3, to_backwards, to_shuffled, to_frozen, to_other);
  EXPECT_EQ(self.mean, 0.0);
  ASSERT_EQ(self.levels.size(), 3u);  // 96x72, 48x36, 24x18
  EXPECT_EQ(self.levels[2].height, 18);
  // Playing backwards keeps the kind of motion; shuffling or freezing frames changes it.
  EXPECT_LT(to_backwards, 0.7 * to_shuffled);
  EXPECT_LT(to_backwards, 0.7 * to_frozen);
  EXPECT_LT(to_shuffled, 0.5 * to_other);
}

TEST(TemporalConsistency, ZeroForAStillVideoAndGrowsWithMotion) {
  Video still;
  still.frames.assign(5, photo("chelsea.png", 64));
  EXPECT_EQ(temporal_consistency(still), 0.0);

  Video blink;
  for (int i = 0; i < 4; ++i) blink.frames.push_back(Image(8, 8, 3, i % 2 ? 255 : 0));
  EXPECT_DOUBLE_EQ(temporal_consistency(blink), 1.0);

  const Video tree = clip("tree.avi", 12, 96);
  const double motion = temporal_consistency(tree);
  std::vector<int> shuffled(12);
  for (int i = 0; i < 12; ++i) shuffled[i] = (i * 5) % 12;
  EXPECT_GT(motion, 0.0);
  EXPECT_LT(motion, 0.2);
  EXPECT_GT(temporal_consistency(reordered(tree, shuffled)), motion);
  EXPECT_THROW(temporal_consistency(Video{}), Error);
}

// ---- Diversity ----

TEST(ColourStats, MeasureBrightnessContrastAndSaturation) {
  const ColourStats grey = colour_stats(Image(8, 8, 3, 128));
  EXPECT_NEAR(grey.brightness, 128 / 255.0, 1e-6);
  EXPECT_NEAR(grey.contrast, 0.0, 1e-6);
  EXPECT_NEAR(grey.saturation, 0.0, 1e-6);

  Image red(8, 8, 3, 0);
  for (std::size_t i = 0; i < red.pixels.size(); i += 3) red.pixels[i] = 255;
  const ColourStats r = colour_stats(red);
  EXPECT_NEAR(r.brightness, 0.299, 1e-3);  // BT.601
  EXPECT_NEAR(r.saturation, 1.0, 1e-6);

  // A video counts all its frames together: black and white frames have the std of a coin.
  Video blink;
  for (int i = 0; i < 4; ++i) blink.frames.push_back(Image(8, 8, 3, i % 2 ? 255 : 0));
  const ColourStats b = colour_stats(blink);
  EXPECT_NEAR(b.brightness, 0.5, 1e-6);
  EXPECT_NEAR(b.contrast, 0.5, 1e-6);

  // A washed-out photo (halfway to white) is brighter, flatter and paler than the photo.
  const Image photo_image = photo("chelsea.png", 64);
  Image washed = photo_image;
  for (auto& v : washed.pixels) v = static_cast<std::uint8_t>((v + 255) / 2);
  const ColourStats p = colour_stats(photo_image), w = colour_stats(washed);
  EXPECT_GT(w.brightness, p.brightness);
  EXPECT_NEAR(w.contrast, p.contrast / 2, 0.01);
  EXPECT_NEAR(w.saturation, p.saturation / 2, 0.01);
  EXPECT_THROW(colour_stats(Video{}), Error);
}

TEST(Diversity, ZeroForCopiesAndGrowsWithNoise) {
  const Image x = photo("astronaut.png", 64);
  EXPECT_EQ(diversity(std::vector<Image>(4, x), x), 0.0);
  std::vector<Image> light, heavy;
  for (unsigned i = 0; i < 6; ++i) {
    light.push_back(noisy(x, 5, i));
    heavy.push_back(noisy(x, 30, 100 + i));
  }
  const double d_light = diversity(light, x), d_heavy = diversity(heavy, x);
  EXPECT_GT(d_light, 0.0);
  EXPECT_GT(d_heavy, 3.0 * d_light);
  EXPECT_THROW(diversity(std::vector<Image>{x}, x), Error);
  EXPECT_THROW(diversity(std::vector<Image>(2, x), Image(8, 8, 3, 90)), Error);  // flat reference
  EXPECT_THROW(diversity(std::vector<Image>{x, photo("astronaut.png", 32)}, x), Error);
}

TEST(Diversity, MatchesTheDefinitionOnAKnownCase) {
  // Per-value std of {0, 255} is 0.5 (in [0, 1] units); a half-black half-white reference has
  // std 0.5 too: diversity 1.
  Image reference(8, 8, 3, 0);
  std::fill(reference.pixels.begin(), reference.pixels.begin() + reference.pixels.size() / 2, 255);
  EXPECT_NEAR(diversity(std::vector<Image>{Image(4, 4, 3, 0), Image(4, 4, 3, 255)}, reference), 1.0,
              1e-6);
}

TEST(Diversity, OfVideosCoversAllFrames) {
  const Video tree = clip("tree.avi", 6, 64);
  EXPECT_EQ(diversity(std::vector<Video>(3, tree), tree), 0.0);
  std::vector<Video> samples(3, tree);
  for (unsigned i = 0; i < samples.size(); ++i)  // noise in the last frame only
    samples[i].frames.back() = noisy(tree.frames.back(), 20, i);
  const double last_frame_only = diversity(samples, tree);
  for (unsigned i = 0; i < samples.size(); ++i)
    for (auto& frame : samples[i].frames) frame = noisy(frame, 20, 10 + i);
  const double every_frame = diversity(samples, tree);
  EXPECT_GT(last_frame_only, 0.0);
  EXPECT_GT(every_frame, 3.0 * last_frame_only);
}

// ---- Structure ----

TEST(StructureScore, KeepsLayoutThroughColourChangesNotAcrossPhotos) {
  const Image x = photo("chelsea.png", 256);
  EXPECT_NEAR(structure_score(x, x), 1.0, 1e-9);
  const double brighter = structure_score(recoloured(x, 1, 1, 1, 40), x);
  const double tinted = structure_score(recoloured(x, 0.6, 1.1, 1.4, -10), x);
  const double inverted = structure_score(recoloured(x, -1, -1, -1, 255), x);
  const double other = structure_score(photo("rocket.jpg", 256), x);
  const double other2 = structure_score(photo("baboon.jpg", 256), x);
  std::printf(
      "structure chelsea: brighter %.3f, tinted %.3f, inverted %.3f, rocket %.3f, "
      "baboon %.3f\n",
      brighter, tinted, inverted, other, other2);
  EXPECT_GT(brighter, 0.9);
  EXPECT_GT(inverted, 0.9);  // edge magnitudes ignore contrast polarity
  EXPECT_GT(tinted, 0.8);
  EXPECT_LT(other, 0.4);
  EXPECT_LT(other2, 0.4);
  // A larger rendering of the same picture keeps the layout too.
  EXPECT_GT(structure_score(photo("chelsea.png", 400), x), 0.9);
}

}  // namespace
}  // namespace atelier
