// patchnn (the instant mode) with the tiny preset on real pictures and clips: sizes, seeds,
// analogies that keep their structure, videos, bad inputs, and the job contract (progress,
// previews at the output's size, stop requests).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "atelier/error.h"
#include "atelier/metrics.h"
#include "atelier/patchnn.h"
#include "expect_error.h"
#include "test_support.h"

namespace atelier {
namespace {

using test::expect_error;
using test::TempDir;

PatchnnParams tiny() {
  return PatchnnParams::from_preset(load_preset("patchnn", "tiny"));
}

ComputeOptions cpu() {
  return {"cpu", 1};
}  // tiny maps gain nothing from more threads

Image picture(const std::string& name, int width) {
  return fit_within(load_image(test::data_file("images/" + name)), width);
}

Video clip(const std::string& name, int frames, int width) {
  VideoReadOptions read;
  read.max_frames = frames;
  read.width = width;
  return read_video(test::data_file("video/" + name), read);
}

double mean_abs_difference(const Image& a, const Image& b) {
  EXPECT_EQ(a.pixels.size(), b.pixels.size());
  double sum = 0;
  for (std::size_t i = 0; i < a.pixels.size(); ++i) sum += std::abs(a.pixels[i] - b.pixels[i]);
  return sum / static_cast<double>(a.pixels.size());
}

TEST(Patchnn, PresetsAreReadStrictly) {
  for (const std::string size : {"tiny", "preview", "standard"}) {
    const Preset preset = load_preset("patchnn", size);
    EXPECT_EQ(PatchnnParams::from_preset(preset).to_json(), preset.params) << size;
  }
  // The defaults are the preview preset's: the instant mode as a CPU laptop gets it.
  EXPECT_EQ(PatchnnParams::from_preset(load_preset("patchnn", "preview")).to_json(),
            PatchnnParams().to_json());
  Preset extra = load_preset("patchnn", "tiny");
  extra.params["unknown_knob"] = 1;
  expect_error([&] { PatchnnParams::from_preset(extra); }, ErrorKind::BadInput, {"unknown_knob"});
  Preset even = load_preset("patchnn", "tiny");
  even.params["patch_size"] = 6;
  expect_error([&] { PatchnnParams::from_preset(even); }, ErrorKind::BadInput, {"patch_size"});
  Preset search = load_preset("patchnn", "tiny");
  search.params["search"] = "fast";
  expect_error([&] { PatchnnParams::from_preset(search); }, ErrorKind::BadInput, {"search"});
}

TEST(Patchnn, SamplesHaveTheSourceSizeAndFollowTheirSeed) {
  const Image source = picture("starry_night.jpg", 64);
  PatchnnSampleOptions options;
  options.seed = 3;
  const Image first = patchnn_sample(source, tiny(), options, cpu()).image;
  EXPECT_EQ(first.width, source.width);
  EXPECT_EQ(first.height, source.height);
  EXPECT_EQ(first.pixels, patchnn_sample(source, tiny(), options, cpu()).image.pixels);
  options.seed = 4;
  const Image other = patchnn_sample(source, tiny(), options, cpu()).image;
  EXPECT_GT(mean_abs_difference(first, other), 5.0);  // 0..255 units: a new arrangement
  // n samples as one job are the samples of their seeds.
  options.seed = 3;
  const PatchnnSamples both = patchnn_samples(source, 2, tiny(), options, cpu());
  ASSERT_EQ(both.images.size(), 2u);
  EXPECT_EQ(both.images[0].pixels, first.pixels);
  EXPECT_EQ(both.images[1].pixels, other.pixels);
}

TEST(Patchnn, SamplesKeepThePatchesAndVary) {
  const Image source = picture("coffee.png", 64);
  PatchnnEvalOptions options;
  options.samples = 3;
  const PatchnnSampleEval r = evaluate_patchnn_samples(source, "coffee", tiny(), options, cpu());
  // Closer to the source's patches than twice its mirror image, yet not copies of it.
  EXPECT_LT(r.swd_ratio, 2.0);
  EXPECT_GT(r.diversity, 0.1);
  // Their layout differs from the source's, and differs more than a slightly shifted copy does.
  EXPECT_GT(r.layout_psnr, 5.0);
  EXPECT_LT(r.layout_psnr, 28.0);
}

TEST(Patchnn, SamplesAndRetargetingTakeAnySize) {
  const Image source = picture("starry_night.jpg", 64);
  PatchnnSampleOptions options;
  options.width = 90;
  options.height = 30;
  const Image wide = patchnn_sample(source, tiny(), options, cpu()).image;
  EXPECT_EQ(wide.width, 90);
  EXPECT_EQ(wide.height, 30);
  options.width = 40;
  options.height = 0;  // the source's aspect
  const Image narrow = patchnn_sample(source, tiny(), options, cpu()).image;
  EXPECT_EQ(narrow.width, 40);
  EXPECT_EQ(narrow.height, static_cast<int>(std::lround(40.0 * source.height / source.width)));
  const Image retargeted = patchnn_retarget(source, 96, 40, tiny(), "starry", cpu()).image;
  EXPECT_EQ(retargeted.width, 96);
  EXPECT_EQ(retargeted.height, 40);
  expect_error([&] { patchnn_retarget(source, 3, 40, tiny(), "starry", cpu()); }, ErrorKind::Usage,
               {"3x40"});
}

TEST(Patchnn, SmallerSamplesShowTheWholePicture) {
  const Image source = picture("astronaut.png", 64);
  PatchnnSampleOptions options;
  options.width = 32;
  options.noise_std = 0;  // without noise a sample rebuilds the picture it was made from
  const Image small = patchnn_sample(source, tiny(), options, cpu()).image;
  ASSERT_EQ(small.width, 32);
  // The whole astronaut at 32 px, not a 32-px window of the 64-px picture.
  EXPECT_LT(mean_abs_difference(small, resize_image(source, 32, 32)), 12.0);
}

TEST(Patchnn, RetargetingToASmallerSizeKeepsTheWholePicture) {
  const Image source = picture("astronaut.png", 64);
  const Image small = patchnn_retarget(source, 32, 32, tiny(), "astronaut", cpu()).image;
  ASSERT_EQ(small.width, 32);
  // The whole astronaut at 32 px, not a 32-px window of the 64-px picture.
  EXPECT_LT(mean_abs_difference(small, resize_image(source, 32, 32)), 12.0);
}

TEST(Patchnn, RetargetingToAnotherAspectKeepsTheWholePicture) {
  // Half the height: the astronaut's face and her suit both stay, squeezed, rather than a
  // 96-px-high window of the middle (the start of a coarsest level too small to rearrange).
  const Image source = picture("astronaut.png", 192);
  PatchnnParams params;  // the preview preset's pyramid, fewer rounds
  params.rounds = 4;
  const Image squeezed = patchnn_retarget(source, 192, 96, params, "astronaut", cpu()).image;
  ASSERT_EQ(squeezed.height, 96);
  // Layouts compared at 32x16, where a squeeze and a retargeting look alike and a window not.
  const auto layout = [](const Image& image) { return resize_image(image, 32, 16); };
  const Image resized = layout(source);
  const double error = mean_abs_difference(layout(squeezed), resized);
  for (int top : {0, 48, 96}) {
    Image window(192, 96, source.channels);
    for (int y = 0; y < 96; ++y) std::copy_n(source.row(top + y), source.stride(), window.row(y));
    EXPECT_LT(error, 0.6 * mean_abs_difference(layout(window), resized)) << "window at " << top;
  }
}

TEST(Patchnn, SamplesOfAPictureOfFewStrongRegionsStillVary) {
  // A portrait's coarsest level shrugs off the noise that reshuffles a texture: at the preview
  // preset's noise most of it comes back in place, and without the check the samples are copies.
  const Image source = picture("astronaut.png", 64);
  const PatchnnParams preview;  // its 7-px patches leave the 13-px coarsest level little room
  PatchnnParams copying = preview;
  copying.max_in_place = 1;
  const PatchnnSamples copies = patchnn_samples(source, 2, copying, {}, cpu());
  const PatchnnSamples samples = patchnn_samples(source, 2, preview, {}, cpu());
  const double copies_differ = mean_abs_difference(copies.images[0], copies.images[1]);
  const double samples_differ = mean_abs_difference(samples.images[0], samples.images[1]);
  EXPECT_LT(copies_differ, 5.0);
  EXPECT_GT(samples_differ, 2 * copies_differ + 5.0);
  ASSERT_FALSE(samples.report.notes.empty());
  EXPECT_NE(samples.report.notes.front().find("noise"), std::string::npos);
}

// Mean R, G and B over all pixels, in 0..255.
std::vector<double> mean_colour(const Image& image) {
  std::vector<double> mean(3, 0.0);
  for (std::size_t i = 0; i < image.pixels.size(); ++i) mean[i % 3] += image.pixels[i];
  for (double& m : mean) m /= static_cast<double>(image.pixels.size() / 3);
  return mean;
}

double colour_distance(const Image& a, const Image& b) {
  const std::vector<double> ma = mean_colour(a), mb = mean_colour(b);
  return std::hypot(ma[0] - mb[0], ma[1] - mb[1], ma[2] - mb[2]);
}

TEST(Patchnn, AnalogiesKeepTheStructurePictureLayout) {
  // A pair of different sizes (64x43 and 64x60): a cup's layout in fruits' patches and back.
  const Image a = picture("coffee.png", 64);
  const Image b = picture("fruits.jpg", 64);
  ASSERT_NE(a.height, b.height);
  const PatchnnAnalogyPair pair = patchnn_analogies(a, b, tiny(), "coffee", "fruits", cpu());
  EXPECT_EQ(pair.a2b.width, a.width);
  EXPECT_EQ(pair.a2b.height, a.height);
  EXPECT_EQ(pair.b2a.width, b.width);
  EXPECT_EQ(pair.b2a.height, b.height);
  // The structure picture's edges, clearly more than the patch picture has of them by itself.
  EXPECT_GT(structure_score(pair.a2b, a), structure_score(b, a) + 0.1);
  EXPECT_GT(structure_score(pair.b2a, b), structure_score(a, b) + 0.05);
  // The patch picture's colours.
  EXPECT_LT(colour_distance(pair.a2b, b), colour_distance(pair.a2b, a));
  EXPECT_LT(colour_distance(pair.b2a, a), colour_distance(pair.b2a, b));
}

TEST(Patchnn, PaintingsOfAnotherSizeAreResizedWithANote) {
  const Image source = picture("starry_night.jpg", 64);
  // A rough painting: the source's layout, flattened to blocks of colour, at another size.
  const Image painting = resize_image(resize_image(source, 8, 6), 50, 30);
  const PatchnnImageResult r = patchnn_paint(source, painting, tiny(), "starry", "blocks", cpu());
  EXPECT_EQ(r.image.width, source.width);
  EXPECT_EQ(r.image.height, source.height);
  ASSERT_EQ(r.report.notes.size(), 1u);
  EXPECT_NE(r.report.notes[0].find("blocks"), std::string::npos) << r.report.notes[0];
  // Sharper than the painting: the source's patches bring back detail.
  EXPECT_LT(patch_swd(r.image, source).mean,
            patch_swd(resize_image(painting, 64, 51), source).mean);
}

TEST(Patchnn, LargePicturesAreDownscaledWithANote) {
  const Image large = picture("coffee.png", 200);  // tiny's max_size is 64
  const PatchnnImageResult r = patchnn_sample(large, tiny(), {}, cpu());
  EXPECT_EQ(std::max(r.image.width, r.image.height), 64);
  ASSERT_EQ(r.report.notes.size(), 1u);
  EXPECT_NE(r.report.notes[0].find("max_size"), std::string::npos) << r.report.notes[0];
}

TEST(Patchnn, PicturesSmallerThanAPatchAreRefusedByName) {
  PatchnnSampleOptions options;
  options.source_name = "dot.png";
  expect_error([&] { patchnn_sample(Image(4, 40, 3, 90), tiny(), options, cpu()); },
               ErrorKind::BadInput, {"dot.png", "4x40", "patch"});
  expect_error([&] { patchnn_sample(Image(), tiny(), options, cpu()); }, ErrorKind::BadInput,
               {"dot.png", "empty"});
  expect_error(
      [&] { patchnn_analogies(Image(40, 40, 3, 9), Image(40, 3, 3, 9), tiny(), "a.png", "b.png"); },
      ErrorKind::BadInput, {"b.png", "40x3"});
}

TEST(Patchnn, JobsReportProgressPreviewAtTheOutputSizeAndStop) {
  const Image source = picture("starry_night.jpg", 64);
  std::vector<Progress> progress;
  std::vector<Image> previews;
  Callbacks callbacks;
  callbacks.on_progress = [&](const Progress& p) { progress.push_back(p); };
  callbacks.on_preview = [&](const Image& image) { previews.push_back(image); };
  PatchnnSampleOptions options;
  options.width = 80;
  options.height = 40;
  const PatchnnImageResult r = patchnn_sample(source, tiny(), options, cpu(), callbacks);
  ASSERT_GE(r.report.levels.size(), 2u);
  EXPECT_EQ(previews.size(), r.report.levels.size());  // one per level, coarse to fine
  for (const Image& preview : previews) {
    EXPECT_EQ(preview.width, 80);
    EXPECT_EQ(preview.height, 40);
  }
  EXPECT_EQ(previews.back().pixels, r.image.pixels);
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back().scale, progress.back().scales);
  EXPECT_EQ(progress.back().eta_s, 0);
  EXPECT_GE(progress[progress.size() / 2].eta_s, 0);

  int polls = 0;
  callbacks.should_stop = [&] { return ++polls > 3; };
  expect_error([&] { patchnn_sample(source, tiny(), {}, cpu(), callbacks); }, ErrorKind::Cancelled,
               {"stopped"});
}

TEST(Patchnn, VideoSamplesTakeAnyLengthAndSize) {
  const Video source = clip("tree.avi", 8, 40);
  PatchnnVideoOptions options;
  options.seed = 2;
  const Video same = patchnn_video_sample(source, tiny(), options, cpu()).video;
  EXPECT_EQ(same.frames.size(), source.frames.size());
  EXPECT_EQ(same.width(), source.width());
  EXPECT_EQ(same.height(), source.height());
  EXPECT_EQ(same.frames[3].pixels,
            patchnn_video_sample(source, tiny(), options, cpu()).video.frames[3].pixels);
  options.frames = 12;
  options.width = 48;
  options.height = 24;
  const Video longer = patchnn_video_sample(source, tiny(), options, cpu()).video;
  EXPECT_EQ(longer.frames.size(), 12u);
  EXPECT_EQ(longer.width(), 48);
  EXPECT_EQ(longer.height(), 24);
  EXPECT_GT(temporal_consistency(longer), 0.0);  // it moves
}

TEST(Patchnn, OneFrameVideosAreRefusedByName) {
  Video one = clip("vtest.avi", 1, 40);
  PatchnnVideoOptions options;
  options.clip_name = "still.avi";
  expect_error([&] { patchnn_video_sample(one, tiny(), options, cpu()); }, ErrorKind::BadInput,
               {"still.avi", "1 frame"});
}

TEST(Patchnn, VideoVariationsWriteTheirFilesOnlyWhenTheyWorked) {
  TempDir dir("patchnn-test");
  PatchnnVariationsParams p;
  p.clip.video = test::data_file("video/vtest.avi");
  p.clip.frames = 6;
  p.clip.width = 40;
  p.preset = "tiny";
  p.n = 2;
  p.out_dir = dir.file("out");
  p.compute = cpu();
  const PatchnnVariationsResult r = make_patchnn_video_variations(p);
  ASSERT_EQ(r.variations.size(), 2u);
  ASSERT_EQ(r.files.size(), 4u);
  for (const std::string& file : r.files) EXPECT_TRUE(std::filesystem::exists(file)) << file;
  EXPECT_TRUE(std::filesystem::exists(r.contact_sheet));
  EXPECT_TRUE(std::filesystem::exists(r.input));

  p.clip.frames = 1;
  p.out_dir = dir.file("never");
  expect_error([&] { make_patchnn_video_variations(p); }, ErrorKind::BadInput, {"vtest.avi"});
  EXPECT_FALSE(std::filesystem::exists(p.out_dir));

  p.clip.frames = 6;
  Callbacks stop;
  stop.should_stop = [] { return true; };
  expect_error([&] { make_patchnn_video_variations(p, stop); }, ErrorKind::Cancelled, {});
  EXPECT_FALSE(std::filesystem::exists(p.out_dir));
}

}  // namespace
}  // namespace atelier
