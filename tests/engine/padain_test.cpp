// padain: the corruption suite, the other digit domains, the classifier and the robustness report
// on the tiny preset (seconds).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <set>

#include "atelier/dataset.h"
#include "atelier/error.h"
#include "atelier/padain.h"
#include "expect_error.h"
#include "methods/padain/corruptions.h"
#include "methods/padain/data.h"
#include "methods/padain/network.h"
#include "test_support.h"

namespace atelier {
namespace {

PadainParams tiny_params() {
  set_models_dir(ATELIER_TEST_MODELS_DIR);
  return PadainParams::from_preset(load_preset("padain", "tiny"));
}

torch::Tensor fashion_test_batch(int count) {
  const LabelledImages set =
      load_padain_split(PadainDataset::Fashion, false, test::data_dir(), "", count);
  return padain::to_tensors(set, 1).images;
}

double mean_distance(const torch::Tensor& a, const torch::Tensor& b) {
  return (a.to(torch::kFloat) - b.to(torch::kFloat)).abs().mean().item<double>();
}

TEST(PadainCorruptions, EveryCorruptionMovesFurtherFromTheCleanImageWithSeverity) {
  const torch::Tensor clean = fashion_test_batch(64);
  ASSERT_EQ(padain_corruption_names().size(), 10u);
  for (const std::string& name : padain_corruption_names()) {
    SCOPED_TRACE(name);
    double previous = 0;
    for (int s = 1; s <= kPadainSeverities; ++s) {
      const torch::Tensor corrupted = padain::corrupt(clean, name, s, 7);
      ASSERT_EQ(corrupted.sizes(), clean.sizes());
      ASSERT_EQ(corrupted.scalar_type(), torch::kUInt8);
      const double distance = mean_distance(corrupted, clean);
      EXPECT_GT(distance, previous) << "severity " << s;
      previous = distance;
    }
    EXPECT_GT(previous, 8.0) << "severity 5 should change the images clearly (of 255)";
  }
}

TEST(PadainCorruptions, SameSeedSameImagesAnotherSeedOtherNoise) {
  const torch::Tensor clean = fashion_test_batch(16);
  for (const std::string& name : padain_corruption_names()) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(
        torch::equal(padain::corrupt(clean, name, 3, 5), padain::corrupt(clean, name, 3, 5)));
  }
  for (const std::string name :
       {"gaussian_noise", "shot_noise", "impulse_noise", "motion_blur", "haze"}) {
    SCOPED_TRACE(name);
    EXPECT_FALSE(
        torch::equal(padain::corrupt(clean, name, 3, 5), padain::corrupt(clean, name, 3, 6)));
  }
}

TEST(PadainCorruptions, PlainImagesAndRgbWork) {
  const LabelledImages digits = padain::mnistm_style_digits(test::data_dir(), 8, 1);
  const std::vector<Image> out = corrupt_images(digits.images, "jpeg", 5, 1);
  ASSERT_EQ(out.size(), 8u);
  EXPECT_EQ(out[0].channels, 3);
  EXPECT_EQ(out[0].width, 28);
  EXPECT_NE(out[0].pixels, digits.images[0].pixels);
  test::expect_error([&] { corrupt_images(digits.images, "fog of war", 1, 1); }, ErrorKind::Usage,
                     {"fog of war"});
  test::expect_error([&] { corrupt_images(digits.images, "haze", 6, 1); }, ErrorKind::Usage,
                     {"1 to 5"});
}

TEST(PadainDomains, OpenCvSheetGivesCentredDigitsInRowOrder) {
  const LabelledImages sheet = padain::opencv_sheet_digits(test::data_dir(), 5000);
  ASSERT_EQ(sheet.images.size(), 5000u);
  std::vector<int> per_class(10, 0);
  for (int label : sheet.labels) ++per_class.at(static_cast<std::size_t>(label));
  for (int count : per_class) EXPECT_EQ(count, 500);
  EXPECT_EQ(sheet.labels.front(), 0);
  EXPECT_EQ(sheet.labels.back(), 9);
  const Image& digit = sheet.images[1234];
  ASSERT_EQ(digit.width, 28);
  ASSERT_EQ(digit.channels, 1);
  int border = 0, inside = 0;
  for (int y = 0; y < 28; ++y)
    for (int x = 0; x < 28; ++x)
      (x < 4 || y < 4 || x >= 24 || y >= 24 ? border : inside) += *digit.at(x, y);
  EXPECT_EQ(border, 0);
  EXPECT_GT(inside, 255 * 20) << "white strokes on black, as MNIST";
}

TEST(PadainDomains, MnistmStyleDigitsKeepTheMnistLabelsOnPhotos) {
  const LabelledImages mnist =
      load_padain_split(PadainDataset::Mnist, false, test::data_dir(), "", 50);
  const LabelledImages blended = padain::mnistm_style_digits(test::data_dir(), 50, 3);
  ASSERT_EQ(blended.images.size(), 50u);
  EXPECT_EQ(blended.labels, mnist.labels);
  EXPECT_EQ(blended.images[0].channels, 3);
  // Photo backgrounds: the corners are not black as in MNIST.
  double corners = 0;
  for (const Image& image : blended.images) corners += image.at(0, 0)[0] + image.at(27, 27)[1];
  EXPECT_GT(corners / 100, 10.0);
}

TEST(PadainNetwork, TheLayerActsOnlyInTraining) {
  torch::manual_seed(1);
  padain::RobustClassifier net(1, 10, 8, 2, /*p=*/1.0);
  const torch::Tensor x = torch::rand({6, 1, 28, 28});
  net->eval();
  const torch::Tensor a = net->forward(x);
  EXPECT_TRUE(torch::equal(a, net->forward(x)));
  EXPECT_EQ(a.sizes(), (std::vector<std::int64_t>{6, 10}));
  net->train();
  torch::manual_seed(2);
  const torch::Tensor swapped = net->forward(x);
  padain::RobustClassifier plain(1, 10, 8, 2, 0.0);
  torch::NoGradGuard no_grad;
  for (std::size_t i = 0; i < net->parameters().size(); ++i)
    plain->parameters()[i].copy_(net->parameters()[i]);
  plain->train();
  EXPECT_FALSE(torch::allclose(swapped, plain->forward(x))) << "p = 1 swaps statistics in training";
}

TEST(PadainClassifier, TrainsWellAboveChanceWithAndWithoutTheLayer) {
  const PadainParams params = tiny_params();
  const std::string data = test::data_dir();
  const LabelledImages train =
      load_padain_split(PadainDataset::Mnist, true, data, "", params.train_images);
  const LabelledImages test = load_padain_split(PadainDataset::Mnist, false, data, "", 200);
  int progress_events = 0;
  Callbacks callbacks;
  callbacks.on_progress = [&](const Progress& p) {
    ++progress_events;
    EXPECT_EQ(p.phase, "train");
  };
  const PadainClassifierResult base =
      train_padain_classifier(train, test, params, 0.0, 1, {"cpu", 1}, callbacks);
  const PadainClassifierResult layer =
      train_padain_classifier(train, test, params, 0.5, 1, {"cpu", 1});
  EXPECT_GT(base.test_accuracy, 0.6)
      << "chance is 0.1; on its training batches: " << base.train_accuracy;
  EXPECT_GT(layer.test_accuracy, 0.5);
  EXPECT_GT(base.steps, 10);
  EXPECT_EQ(progress_events, base.steps);
  EXPECT_NE(base.final_loss, layer.final_loss) << "the layer changed the training";
  // Seeded: the same run repeats exactly.
  EXPECT_EQ(base.final_loss,
            train_padain_classifier(train, test, params, 0.0, 1, {"cpu", 1}).final_loss);
}

TEST(PadainClassifier, TrainsOnAnMnistmFolder) {
  test::TempDir dir("padain-mnistm");
  MnistmOptions options;
  options.out = dir.file("set");
  options.n = 96;
  options.size = 28;
  options.data_dir = test::data_dir();
  make_mnistm_dataset(options);
  const LabelledImages train = load_padain_split(PadainDataset::Mnistm, true, "", options.out);
  const LabelledImages test = load_padain_split(PadainDataset::Mnistm, false, "", options.out);
  ASSERT_EQ(train.images.size(), 96u);
  EXPECT_EQ(train.images[0].channels, 3);
  PadainParams params = tiny_params();
  const PadainClassifierResult r = train_padain_classifier(train, test, params, 0.1, 1, {"cpu", 1});
  EXPECT_EQ(r.steps, 6) << "2 epochs of 3 batches of 32";
  EXPECT_TRUE(std::isfinite(r.final_loss));
}

TEST(PadainData, MissingFilesAndUnknownNamesAreNamed) {
  test::TempDir empty("padain-empty");
  test::expect_error(
      [&] { load_padain_split(PadainDataset::Fashion, true, empty.path().string()); },
      ErrorKind::BadInput, {"train-images-idx3-ubyte.gz"});
  test::expect_error([&] { padain_dataset_from_name("cifar"); }, ErrorKind::BadInput,
                     {"cifar", "fashion, mnist"});
  test::expect_error([&] { padain::opencv_sheet_digits(empty.path().string(), 10); },
                     ErrorKind::BadInput, {"opencv-digits.png"});
}

TEST(PadainParams, PresetsLoadAndRangesAreChecked) {
  set_models_dir(ATELIER_TEST_MODELS_DIR);
  const PadainParams preview = PadainParams::from_preset(load_preset("padain", "preview"));
  EXPECT_GT(preview.train_images, tiny_params().train_images);
  Preset bad = load_preset("padain", "tiny");
  apply_overrides(bad, {"p=1.5"});
  test::expect_error([&] { PadainParams::from_preset(bad); }, ErrorKind::BadInput, {"--set p=1.5"});
}

PadainReport tiny_report(PadainDataset dataset, const Callbacks& callbacks = {}) {
  PadainReportOptions options;
  options.dataset = dataset;
  options.data_dir = test::data_dir();
  options.params = tiny_params();
  options.preset = "tiny";
  options.p = 0.3;
  options.seeds = 2;
  options.compute = {"cpu", 1};
  return run_padain_report(options, callbacks);
}

TEST(PadainReport, MeasuresBothModelsOnCorruptionsAndOtherDomains) {
  const PadainReport r = tiny_report(PadainDataset::Mnist);
  EXPECT_EQ(r.corruptions.size(), 10u);
  EXPECT_EQ(r.test_images, 200);
  for (const PadainModelReport* m : {&r.baseline, &r.with_layer}) {
    EXPECT_GT(m->clean_accuracy.mean, 0.4);
    EXPECT_EQ(m->clean_accuracy.values.size(), 2u);
    ASSERT_EQ(m->accuracy_by_severity.size(), 6u);
    EXPECT_DOUBLE_EQ(m->accuracy_by_severity[0].mean, m->clean_accuracy.mean);
    EXPECT_LT(m->accuracy_by_severity[5].mean, m->accuracy_by_severity[0].mean)
        << "the worst severity hurts";
    ASSERT_EQ(m->cross_domain_names, (std::vector<std::string>{"mnist-m", "opencv-digits"}));
    for (const SeedStats& s : m->cross_domain_accuracy) {
      EXPECT_GE(s.mean, 0.0);
      EXPECT_LE(s.mean, 1.0);
    }
    EXPECT_GT(m->mean_corruption_error.mean, 1 - m->clean_accuracy.mean);
  }
  EXPECT_DOUBLE_EQ(r.with_layer.p, 0.3);
  EXPECT_EQ(r.baseline.p, 0.0);
  // The baseline is CE's reference: its CE averages to 1 over the seeds.
  for (const SeedStats& ce : r.baseline.ce) EXPECT_NEAR(ce.mean, 1.0, 1e-9);
  EXPECT_NEAR(r.baseline.mce.mean, 1.0, 1e-9);
  EXPECT_GT(r.baseline.mce.std, 0.0) << "two seeds differ";
  const nlohmann::json j = to_json(r);
  EXPECT_TRUE(j["padain"]["corruptions"].contains("jpeg"));
  EXPECT_TRUE(j["baseline"]["cross_domain_accuracy"].contains("opencv-digits"));

  const Image plot = plot_padain_report(r);
  EXPECT_EQ(plot.width, 640);
  EXPECT_EQ(plot.channels, 3);
  int orange = 0, blue = 0;
  for (std::size_t i = 0; i < plot.pixels.size(); i += 3) {
    orange += plot.pixels[i] == 220 && plot.pixels[i + 1] == 110 && plot.pixels[i + 2] == 40;
    blue += plot.pixels[i] == 90 && plot.pixels[i + 1] == 110 && plot.pixels[i + 2] == 200;
  }
  EXPECT_GT(orange, 100);
  EXPECT_GT(blue, 100);
}

TEST(PadainReport, StopsWhenAskedAndReportsProgress) {
  int events = 0;
  std::set<std::string> phases;
  Callbacks callbacks;
  callbacks.on_progress = [&](const Progress& p) {
    ++events;
    phases.insert(p.phase);
  };
  callbacks.should_stop = [&] { return phases.count("train") > 0 && events > 60; };
  test::expect_error([&] { tiny_report(PadainDataset::Fashion, callbacks); }, ErrorKind::Cancelled,
                     {"stopped"});
  EXPECT_TRUE(phases.count("corrupt"));
  EXPECT_LT(events, 80);
}

}  // namespace
}  // namespace atelier
