// disentangle: presets, networks, a tiny training on a real composite set, the operations of the
// trained model, resume, and bad input.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>

#include "atelier/dataset.h"
#include "atelier/disentangle.h"
#include "atelier/error.h"
#include "atelier/model_file.h"
#include "core/archive_tensors.h"
#include "core/model_archive.h"
#include "methods/disentangle/guide.h"
#include "methods/disentangle/networks.h"
#include "methods/disentangle/trainer.h"
#include "test_support.h"

namespace atelier {
namespace {

Preset tiny() {
  return load_preset("disentangle", "tiny");
}
int tiny_steps() {
  return DisentangleParams::from_preset(tiny()).steps;
}

double mean_abs_difference(const Image& x, const Image& y) {
  EXPECT_EQ(x.pixels.size(), y.pixels.size());
  double sum = 0;
  for (std::size_t i = 0; i < x.pixels.size(); ++i) sum += std::abs(x.pixels[i] - y.pixels[i]);
  return sum / std::max<std::size_t>(1, x.pixels.size());
}

// One composite set and one tiny training, shared by the tests of the trained model.
class TrainedDisentangle : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<test::TempDir>("disentangle-test");
    CompositeOptions composite;
    composite.out = dir_->file("set");
    composite.n = 40;
    composite.size = 32;
    composite.data_dir = test::data_dir();
    make_composite_dataset(composite);
    images_ = new TransferImages(
        load_transfer_images(composite.out + "/train/A", composite.out + "/train/B", 32));
    TrainOptions options;
    options.out = dir_->file("tiny.atl");
    options.seed = 7;
    options.compute.threads = 1;  // ctest runs tests in parallel: one thread each
    result_ = new TrainResult(train_disentangle(*images_, tiny(), options));
    // What "the loss falls" is measured against: the same training ended after its first step
    // (the first step's loss, on one batch of a few pictures, was too noisy a start).
    Preset first_step = tiny();
    first_step.params["steps"] = 1;
    TrainOptions first = options;
    first.out = dir_->file("first-step.atl");
    train_disentangle(*images_, first_step, first);
    first_step_path_ = first.out;
    model_path_ = options.out;
  }
  static void TearDownTestSuite() {
    delete images_;
    delete result_;
    dir_.reset();
  }

  static std::unique_ptr<test::TempDir> dir_;
  static TransferImages* images_;
  static TrainResult* result_;
  static std::string first_step_path_;  // the same training ended after its first step
  static std::string model_path_;
};

std::unique_ptr<test::TempDir> TrainedDisentangle::dir_;
TransferImages* TrainedDisentangle::images_ = nullptr;
TrainResult* TrainedDisentangle::result_ = nullptr;
std::string TrainedDisentangle::model_path_;
std::string TrainedDisentangle::first_step_path_;

TEST(DisentangleParams, TinyPresetReadsAndRoundTrips) {
  const DisentangleParams p = DisentangleParams::from_preset(tiny());
  EXPECT_EQ(p.image_size, 32);
  EXPECT_EQ(p.generator, "layered");
  EXPECT_EQ(DisentangleParams::from_json(p.to_json(), "round trip").to_json(), p.to_json());
}

// Every shipped preset reads, and names every option (what it reads back is what it says), so
// --set can reach each one.
TEST(DisentangleParams, EveryShippedPresetReadsAndNamesEveryOption) {
  for (const std::string& size : list_presets("disentangle")) {
    SCOPED_TRACE(size);
    const Preset preset = load_preset("disentangle", size);
    EXPECT_EQ(DisentangleParams::from_preset(preset).to_json(), preset.params);
  }
}

TEST(DisentangleParams, RejectsUnknownMissingAndInconsistentKeys) {
  nlohmann::json json = DisentangleParams().to_json();
  json["surprise"] = 1;
  EXPECT_THROW(DisentangleParams::from_json(json, "x.json"), Error);
  json = DisentangleParams().to_json();
  json.erase("batch");
  EXPECT_THROW(DisentangleParams::from_json(json, "x.json"), Error);
  json = DisentangleParams().to_json();
  json["generator"] = "magic";
  EXPECT_THROW(DisentangleParams::from_json(json, "x.json"), Error);
  json = DisentangleParams().to_json();
  json["erase_attributes"] = true;  // the default generator is concat
  try {
    DisentangleParams::from_json(json, "x.json");
    FAIL() << "erase_attributes with the concat generator was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("x.json"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("erase_attributes"), std::string::npos);
  }
  json = DisentangleParams().to_json();
  json["guide_area"] = 2;  // the averaging square has a centre pixel: odd sides only
  EXPECT_THROW(DisentangleParams::from_json(json, "x.json"), Error);
  json = DisentangleParams().to_json();
  json["guide_start_at"] = json["guide_full_at"];  // the wanted cover would never rise
  EXPECT_THROW(DisentangleParams::from_json(json, "x.json"), Error);
  json = DisentangleParams().to_json();
  json.erase("guide_start_at");  // files written before the option: 1/2
  EXPECT_DOUBLE_EQ(DisentangleParams::from_json(json, "x.json").guide_start_at, 0.5);
  json = DisentangleParams().to_json();
  json["guide_reach"] = 3;
  EXPECT_THROW(DisentangleParams::from_json(json, "x.json"), Error);
  json = DisentangleParams().to_json();
  json.erase("guide_reach");  // files written before the option: the cell itself
  EXPECT_EQ(DisentangleParams::from_json(json, "x.json").guide_reach, 0);
  json = DisentangleParams().to_json();
  json["layer_fit_weight"] = -1;
  EXPECT_THROW(DisentangleParams::from_json(json, "x.json"), Error);
  json = DisentangleParams().to_json();
  json["guide_solid_from"] = 1.0;  // the solid guide would never start
  EXPECT_THROW(DisentangleParams::from_json(json, "x.json"), Error);
  json = DisentangleParams().to_json();
  json["common_grid"] = 3;
  EXPECT_THROW(DisentangleParams::from_json(json, "x.json"), Error);
}

TEST(DisentangleNetworks, PaperShapesAt128) {
  DisentangleParams p;  // the paper's defaults: 128 px, 2x2 grids, concat generator
  disentangle::TransferNets nets(p);
  nets->eval();
  torch::NoGradGuard no_grad;
  const auto x = torch::rand({2, 3, 128, 128}) * 2 - 1;
  const auto codes = nets->encode(x);
  EXPECT_EQ(codes.common.sizes(), torch::IntArrayRef({2, 256, 2, 2}));
  EXPECT_EQ(codes.a.sizes(), torch::IntArrayRef({2, 25, 2, 2}));
  const auto y = nets->generate(codes.common, codes.a, nets->zeros_b(2));
  EXPECT_EQ(y.sizes(), x.sizes());
  EXPECT_LE(y.abs().max().item<double>(), 1.0);
}

TEST(DisentangleNetworks, LayeredGeneratorComposesMasksOverTheBackground) {
  const DisentangleParams p = DisentangleParams::from_preset(tiny());
  disentangle::TransferNets nets(p);
  disentangle::init_weights(*nets);
  nets->eval();
  torch::NoGradGuard no_grad;
  const auto x = torch::rand({3, 3, 32, 32}) * 2 - 1;
  const auto codes = nets->encode(x);
  EXPECT_EQ(codes.common.sizes(), torch::IntArrayRef({3, 8, 8, 8}));
  EXPECT_EQ(codes.layer_a.alpha.sizes(), torch::IntArrayRef({3, 1, 32, 32}));
  EXPECT_GE(codes.layer_a.alpha.min().item<double>(), 0.0);
  EXPECT_LE(codes.layer_a.alpha.max().item<double>(), 1.0);
  // A fully opaque A layer hides everything below it; a transparent one shows the background.
  const auto base = nets->background(codes.common);
  disentangle::Layer opaque{torch::full_like(base, 0.25), torch::ones({3, 1, 32, 32})};
  disentangle::Layer clear{torch::full_like(base, -0.5), torch::zeros({3, 1, 32, 32})};
  EXPECT_TRUE(torch::allclose(disentangle::TransferNetsImpl::compose(base, opaque, clear),
                              torch::full_like(base, 0.25)));
  EXPECT_TRUE(torch::allclose(disentangle::TransferNetsImpl::compose(base, clear, clear), base));
  // With erasure, what Ec sees depends on the masks: the common code changes when they do.
  const auto before = nets->encode(x).common;
  torch::NoGradGuard guard;
  for (auto& q : nets->dec_a->parameters()) q.add_(0.3);
  EXPECT_FALSE(torch::allclose(nets->encode(x).common, before));
}

// With separate_colour a separate code's last three channels are the picture's colour over each
// cell of the code grid, where the code's first channel says the attribute is (0 where it is not).
TEST(DisentangleNetworks, WithSeparateColourACodeCarriesThePicturesColourWhereItSeesItsAttribute) {
  DisentangleParams p = DisentangleParams::from_preset(tiny());
  p.separate_colour = true;
  disentangle::TransferNets nets(p);
  nets->eval();
  torch::NoGradGuard no_grad;
  const auto x = torch::rand({2, 3, 32, 32}) * 2 - 1;
  const auto codes = nets->encode(x);
  ASSERT_EQ(codes.a.sizes(), torch::IntArrayRef({2, p.separate_channels, 8, 8}));
  const auto colour = torch::avg_pool2d(x, 4);  // 32 px over a grid of 8
  for (const auto& code : {codes.a, codes.b}) {
    const auto gate = code.narrow(1, 0, 1).clamp(0, 1);
    ASSERT_GT((gate > 0).sum().item<int>(), 0);
    ASSERT_GT((gate == 0).sum().item<int>(), 0);
    EXPECT_TRUE(torch::allclose(code.narrow(1, p.separate_channels - 3, 3), colour * gate));
  }
  // The colour reaches the layer: a code that differs only in its colour channels paints
  // another layer.
  const auto recoloured = codes.a.clone();
  recoloured.narrow(1, p.separate_channels - 3, 3).neg_();
  EXPECT_FALSE(torch::allclose(nets->layer(recoloured, Attribute::A).rgb,
                               nets->layer(codes.a, Attribute::A).rgb));
  p.separate_channels = 3;
  EXPECT_THROW(DisentangleParams::from_json(p.to_json(), "test"), Error);
}

// Trained on pictures where each domain's attribute is a square of a random light or dark grey
// at a random cell of 32 x 32 px, the critic's attribute-A channel says yes on A's squares and no
// on everything of B, B's own squares included (they look like A's but for their size): an
// attribute channel cannot take "there is something here" for its attribute.
TEST(DisentangleCritic, AnAttributeChannelSaysNoOnTheOtherDomainsAttribute) {
  torch::manual_seed(3);
  constexpr int kBatch = 16, kSize = 32, kCell = 4;
  // Pictures, and each one's cell (row, column) of the critic's 8 x 8 grid under its square.
  const auto draw = [](int side) {
    auto x = torch::rand({kBatch, 3, kSize, kSize}) * 0.4 - 0.2;
    const auto cells = torch::randint(1, kSize / kCell - 2, {kBatch, 2});
    for (int i = 0; i < kBatch; ++i) {
      const double grey = torch::rand({1}).item<double>() < 0.5 ? -0.8 : 0.8;
      const auto r = cells[i][0].item<int64_t>() * kCell, c = cells[i][1].item<int64_t>() * kCell;
      x[i].narrow(1, r, side).narrow(2, c, side).fill_(grey);
    }
    return std::make_pair(x, cells);
  };
  disentangle::DomainCritic critic(16, 0.2);
  torch::optim::Adam adam(critic->parameters(), torch::optim::AdamOptions(2e-3));
  for (int step = 0; step < 300; ++step) {
    adam.zero_grad();
    disentangle::domain_critic_loss(critic->forward(draw(4).first), critic->forward(draw(8).first))
        .backward();
    adam.step();
  }
  torch::NoGradGuard no_grad;
  // The A channel's mean probability at the cell where each picture's square starts.
  const auto on_squares = [&](const std::pair<torch::Tensor, torch::Tensor>& set) {
    const auto p = torch::sigmoid(critic->forward(set.first));
    double sum = 0;
    for (int i = 0; i < kBatch; ++i) {
      sum += p[i][disentangle::DomainCriticImpl::kAttributeA][set.second[i][0].item<int64_t>()]
              [set.second[i][1].item<int64_t>()]
                  .item<double>();
    }
    return sum / kBatch;
  };
  EXPECT_GT(on_squares(draw(4)), 0.7);
  EXPECT_LT(on_squares(draw(8)), 0.3);
}

// The critic is sure about one 4x4 cell of a 16x16 mask. With area 1 a single lit pixel there
// answers it as well as a solid stroke; with area 3 only the stroke does.
TEST(DisentangleGuide, AskedForSolidCoverALoneDotDoesNotAnswerForACell) {
  auto p_own = torch::full({1, 1, 4, 4}, 0.5);
  p_own[0][0][1][1] = 1.0;
  auto dot = torch::zeros({1, 1, 16, 16});
  dot[0][0][5][5] = 1.0;
  auto stroke = torch::zeros({1, 1, 16, 16});
  stroke.narrow(2, 4, 4).narrow(3, 5, 3).fill_(1.0);  // 3 pixels wide, inside the cell
  auto loss = [&](const torch::Tensor& alpha, int area) {
    return disentangle::guide_loss(alpha, p_own, {0.5, 0.75, area, 0}).item<double>();
  };
  const double empty = loss(torch::zeros({1, 1, 16, 16}), 1);
  EXPECT_GT(empty, 0.5);  // nothing covers the confident cell
  EXPECT_LT(loss(dot, 1), 0.01);
  EXPECT_LT(loss(stroke, 3), 0.01);
  EXPECT_GT(loss(dot, 3), 0.5 * empty);  // a ninth of a pixel's worth is still missing
  // Outside the confident cell and its margin the mask must be empty, whatever the area.
  auto far = stroke.clone();
  far[0][0][15][15] = 1.0;
  EXPECT_GT(loss(far, 3), loss(stroke, 3));
}

// Below guide_start_at a cell asks for no cover, and counts as far from the attribute: a mask
// there is stray. Above it the wanted cover rises to full at guide_full_at.
TEST(DisentangleGuide, CellsBelowItsStartAskForNoCover) {
  auto p_own = torch::full({1, 1, 4, 4}, 0.55);  // the shared content, a little above 1/2
  p_own[0][0][1][1] = 0.7;
  auto stripes = torch::zeros({1, 1, 16, 16});
  for (int row = 0; row < 16; row += 4) stripes.narrow(2, row, 1).fill_(1.0);  // one per cell
  const auto empty = torch::zeros({1, 1, 16, 16});
  auto loss = [&](const torch::Tensor& alpha, double start_at) {
    return disentangle::guide_loss(alpha, p_own, {start_at, 0.75, 1, 0}).item<double>();
  };
  // From 1/2, every cell wants a fifth of cover: the stripes answer all of them.
  EXPECT_LT(loss(stripes, 0.5), loss(empty, 0.5));
  // From 0.6, only the confident cell does, and the stripes elsewhere are stray.
  EXPECT_GT(loss(stripes, 0.6), loss(stripes, 0.5));
  auto on_the_cell = torch::zeros({1, 1, 16, 16});
  on_the_cell.narrow(2, 4, 4).narrow(3, 4, 4).fill_(1.0);
  EXPECT_LT(loss(on_the_cell, 0.6), loss(stripes, 0.6));
  EXPECT_LT(loss(on_the_cell, 0.6), loss(empty, 0.6));
}

// The critic is sure about a block of 3x3 cells (a digit's box); a stroke runs through its middle
// row. With reach 0 the cells above and below want cover of their own (the mask must grow into
// a blob over the box); with reach 1 the stroke next to them answers for them.
TEST(DisentangleGuide, WithReachAStrokeAnswersForTheCellsBesideIt) {
  auto p_own = torch::full({1, 1, 8, 8}, 0.5);
  p_own.narrow(2, 2, 3).narrow(3, 2, 3).fill_(1.0);
  auto stroke = torch::zeros({1, 1, 32, 32});
  stroke.narrow(2, 12, 3).narrow(3, 8, 12).fill_(1.0);  // 3 pixels high, along the middle row
  auto blob = torch::zeros({1, 1, 32, 32});
  blob.narrow(2, 8, 12).narrow(3, 8, 12).fill_(1.0);  // the whole box
  auto loss = [&](const torch::Tensor& alpha, int reach) {
    return disentangle::guide_loss(alpha, p_own, {0.5, 0.75, 3, reach}).item<double>();
  };
  EXPECT_GT(loss(stroke, 0), 0.3);  // six of the nine cells have no cover
  EXPECT_LT(loss(blob, 0), 0.01);
  EXPECT_LT(loss(stroke, 1), 0.01);
  EXPECT_LT(loss(blob, 1), 0.01);
  // Reach does not let a mask stray: a stroke two cells below the box is no answer for it.
  auto below = torch::zeros({1, 1, 32, 32});
  below.narrow(2, 28, 3).narrow(3, 8, 12).fill_(1.0);
  EXPECT_GT(loss(below, 1), 0.3);
}

// The solid guide waits for its start, then blends in over a tenth of training; with no start
// it applies from the first step (models trained before the option existed).
TEST(DisentangleGuide, SolidCoverBlendsInFromItsStart) {
  EXPECT_DOUBLE_EQ(disentangle::solid_guide_share(0.0, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(disentangle::solid_guide_share(0.0, 0.3), 0.0);
  EXPECT_DOUBLE_EQ(disentangle::solid_guide_share(0.3, 0.3), 0.0);
  EXPECT_NEAR(disentangle::solid_guide_share(0.35, 0.3), 0.5, 1e-9);
  EXPECT_DOUBLE_EQ(disentangle::solid_guide_share(0.4, 0.3), 1.0);
  EXPECT_DOUBLE_EQ(disentangle::solid_guide_share(1.0, 0.3), 1.0);
}

// Masktransfer's loop judges transfers rendered over the background during the warm-up, as
// disentangle's does: one step of each from the same weights gives the same domain loss. Without
// a warm-up its transfers pass the real image through, and the loss differs.
TEST(DisentangleTrainer, MasktransferJudgesRenderedTransfersDuringTheWarmUp) {
  const DisentangleParams params = DisentangleParams::from_preset(tiny());
  ASSERT_GT(params.domain_weight, 0);
  auto domain_loss = [&](disentangle::Composition composition, double solid_from) {
    disentangle::MethodSetup setup;
    setup.method = "warm-up test";
    setup.composition = composition;
    setup.params = params;
    setup.params.guide_solid_from = solid_from;
    const Callbacks none;
    disentangle::Trainer trainer(setup, TrainOptions{}, none);
    torch::manual_seed(5);
    trainer.build(torch::kCPU);
    const std::vector<std::int64_t> shape{params.batch, 3, params.image_size, params.image_size};
    const torch::Tensor a = torch::rand(shape) * 2 - 1;
    const torch::Tensor b = torch::rand(shape) * 2 - 1;
    return trainer.step(a, b).domain;
  };
  using disentangle::Composition;
  EXPECT_DOUBLE_EQ(domain_loss(Composition::PassThrough, 0.5),
                   domain_loss(Composition::Render, 0.5));
  EXPECT_NE(domain_loss(Composition::PassThrough, 0.0), domain_loss(Composition::Render, 0.0));
}

// A layer pays only where it covers the image with colours that are not the image's: a grey
// blob over a stroke costs, the stroke painted in its own colour does not, and the cost pulls
// the blob's mask down and its colours toward the image.
TEST(DisentangleGuide, ALayerPaysForCoverItCannotPaint) {
  auto image = torch::full({1, 3, 8, 8}, -0.5);
  image.narrow(3, 3, 2).fill_(0.8);  // a bright vertical stroke on a dark background
  auto stroke_mask = torch::zeros({1, 1, 8, 8});
  stroke_mask.narrow(3, 3, 2).fill_(1.0);
  EXPECT_LT(disentangle::layer_fit_loss(stroke_mask, image, image).item<double>(), 1e-6);
  EXPECT_LT(
      disentangle::layer_fit_loss(torch::zeros({1, 1, 8, 8}), torch::zeros({1, 3, 8, 8}), image)
          .item<double>(),
      1e-6);  // no cover, no cost

  auto blob = torch::full({1, 1, 8, 8}, 0.9).requires_grad_();
  auto grey = torch::zeros({1, 3, 8, 8}).requires_grad_();
  const auto loss = disentangle::layer_fit_loss(blob, grey, image);
  EXPECT_NEAR(loss.item<double>(), 0.9 * (0.25 * 0.8 + 0.75 * 0.5), 1e-5);
  loss.backward();
  EXPECT_GT(blob.grad().min().item<double>(), 0);        // every covered pixel is wrong: shrink
  EXPECT_LT(grey.grad()[0][0][0][3].item<double>(), 0);  // the stroke's colour: brighter
  EXPECT_GT(grey.grad()[0][0][0][0].item<double>(), 0);  // the background's: darker
}

TEST_F(TrainedDisentangle, TrainsAndTheReconstructionLossFalls) {
  ASSERT_TRUE(result_->finished);
  EXPECT_EQ(result_->step, tiny_steps());
  bool has_test_rec = false;
  for (const auto& [name, value] : result_->final_losses) {
    if (name != "test_rec") continue;
    has_test_rec = true;  // the mean L1 of the held-out pictures' reconstructions
    EXPECT_GT(value, 0);
  }
  EXPECT_TRUE(has_test_rec);
  // Reconstruction error over every training picture, against the model of the first step.
  const auto reconstruction_error = [](const std::string& path) {
    const DisentangleModel model = DisentangleModel::load(path);
    double sum = 0;
    for (const std::vector<Image>* set : {&images_->a, &images_->b}) {
      for (const Image& x : *set) sum += mean_abs_difference(model.reconstruct(x), x);
    }
    return sum / double(images_->a.size() + images_->b.size());
  };
  const double first = reconstruction_error(first_step_path_);
  EXPECT_LT(reconstruction_error(model_path_), 0.9 * first);
  const ModelInfo info = inspect_model(model_path_);
  EXPECT_EQ(info.method, "disentangle");
  EXPECT_TRUE(info.finished);
  EXPECT_EQ(info.step, tiny_steps());
  EXPECT_FALSE(info.thumbnail.empty());
}

TEST_F(TrainedDisentangle, OperationsProduceImagesOfTheModelSize) {
  const DisentangleModel model = DisentangleModel::load(model_path_);
  const Image& a = images_->a[0];
  const Image& b = images_->b[0];
  for (const Image& out :
       {model.reconstruct(a), model.remove(a), model.transfer(a, b, Attribute::A),
        model.transfer(b, a, Attribute::B), model.strength(a, Attribute::A, 2.0)}) {
    EXPECT_EQ(out.width, 32);
    EXPECT_EQ(out.height, 32);
    EXPECT_EQ(out.channels, 3);
  }
  // Adding A's attribute changes the image; removing it gives something else again.
  EXPECT_GT(mean_abs_difference(model.transfer(a, b, Attribute::A), model.remove(b)), 0.0);
}

TEST_F(TrainedDisentangle, CodesRoundTripThroughGenerate) {
  const DisentangleModel model = DisentangleModel::load(model_path_);
  const Image& a = images_->a[1];
  const DisentangleCodes codes = model.encode(a);
  EXPECT_EQ(codes.common.shape, (std::vector<std::int64_t>{8, 8, 8}));
  EXPECT_EQ(codes.a.shape, (std::vector<std::int64_t>{4, 8, 8}));
  EXPECT_EQ(mean_abs_difference(model.generate(codes), model.reconstruct(a)), 0.0);
  // Strength 1 is the reconstruction; strength 0 of both codes is the removal.
  EXPECT_EQ(mean_abs_difference(model.strength(a, Attribute::A, 1.0), model.reconstruct(a)), 0.0);
  DisentangleCodes zero = codes;
  std::fill(zero.a.values.begin(), zero.a.values.end(), 0.f);
  std::fill(zero.b.values.begin(), zero.b.values.end(), 0.f);
  EXPECT_EQ(mean_abs_difference(model.generate(zero), model.remove(a)), 0.0);
  DisentangleCodes bad = codes;
  bad.common.values.pop_back();
  EXPECT_THROW(model.generate(bad), Error);
}

TEST_F(TrainedDisentangle, InterpolationStartsAndEndsAtTheTwoImages) {
  const DisentangleModel model = DisentangleModel::load(model_path_);
  const Image& x = images_->a[2];
  const Image& y = images_->b[2];
  const auto frames = model.interpolate(x, y, 5, CodePart::All);
  ASSERT_EQ(frames.size(), 5u);
  EXPECT_EQ(mean_abs_difference(frames.front(), model.reconstruct(x)), 0.0);
  EXPECT_EQ(mean_abs_difference(frames.back(), model.reconstruct(y)), 0.0);
  const auto grid = model.interpolation_grid(x, y, 3, 4);
  EXPECT_EQ(grid.size(), 12u);
  EXPECT_THROW(model.interpolate(x, y, 1, CodePart::Common), Error);
  EXPECT_THROW(model.strength(x, Attribute::A, 2.5), Error);
}

TEST_F(TrainedDisentangle, ImagesOfAnotherSizeAreCroppedAndResized) {
  const DisentangleModel model = DisentangleModel::load(model_path_);
  const Image big = resize_image(images_->a[0], 50, 41);
  const Image out = model.reconstruct(big);
  EXPECT_EQ(out.width, 32);
  EXPECT_EQ(out.height, 32);
}

TEST_F(TrainedDisentangle, StopsResumablyAndResumes) {
  TrainOptions options;
  options.out = dir_->file("stopped.atl");
  options.seed = 3;
  // Stopped after 5 training steps: polls count once the critic's warm-up (which obeys stop
  // requests too) has reported its last step.
  bool warmed_up = false;
  int polls = 0;
  Callbacks callbacks;
  callbacks.on_progress = [&warmed_up](const Progress& p) {
    warmed_up |= p.phase == "critic warm-up" && p.step == p.steps;
  };
  callbacks.should_stop = [&] { return warmed_up && ++polls > 5; };
  const TrainResult stopped = train_disentangle(*images_, tiny(), options, callbacks);
  EXPECT_FALSE(stopped.finished);
  EXPECT_EQ(stopped.step, 5);
  EXPECT_FALSE(inspect_model(options.out).finished);
  EXPECT_FALSE(stored_self_check(inspect_model(options.out)));  // only finished models check
  EXPECT_TRUE(stopped.warnings.empty());

  TrainOptions resume;
  resume.resume = options.out;
  const TrainResult done = train_disentangle(*images_, tiny(), resume);
  EXPECT_TRUE(done.finished);
  EXPECT_EQ(done.step, tiny_steps());
  EXPECT_TRUE(inspect_model(options.out).finished);
  EXPECT_THROW(train_disentangle(*images_, tiny(), resume), Error);  // nothing left to resume
}

// A resumable file of the version before the critic's attribute channels: its critic ends in
// one output channel. Resuming it is refused in plain words, not with a tensor's shape.
TEST_F(TrainedDisentangle, AResumableFileWithTheOneVerdictCriticIsRefusedPlainly) {
  TrainOptions options;
  options.out = dir_->file("old-critic.atl");
  Callbacks callbacks;
  callbacks.should_stop = [] { return true; };  // stops in the warm-up: a file at step 0
  ASSERT_FALSE(train_disentangle(*images_, tiny(), options, callbacks).finished);
  RawModelArchive archive = read_raw_model_archive(options.out, "disentangle");
  namespace tn = torch::nn;
  constexpr int kWidth = 32;  // the trainer's critic width
  tn::Sequential old_body(
      tn::Conv2d(tn::Conv2dOptions(3, kWidth, 4).stride(2).padding(1)), tn::LeakyReLU(),
      tn::Conv2d(tn::Conv2dOptions(kWidth, 2 * kWidth, 4).stride(2).padding(1)), tn::LeakyReLU(),
      tn::Conv2d(tn::Conv2dOptions(2 * kWidth, 2 * kWidth, 3).padding(1)), tn::LeakyReLU(),
      tn::Conv2d(tn::Conv2dOptions(2 * kWidth, 1, 1)));
  tn::Module old_critic;
  old_critic.register_module("body", old_body);
  put_module(archive, "critic", old_critic);
  write_raw_model_archive(options.out, archive);
  TrainOptions resume;
  resume.resume = options.out;
  try {
    train_disentangle(*images_, tiny(), resume);
    FAIL() << "a file with the one-verdict critic was resumed";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput);
    EXPECT_NE(std::string(e.what()).find("old-critic.atl"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("without --resume"), std::string::npos);
  }
}

TEST_F(TrainedDisentangle, TheCriticWarmUpShowsProgressAndAPreviewAndObeysStop) {
  TrainOptions options;
  options.out = dir_->file("warm.atl");
  options.preview_every = 1000;  // only the early preview of the untrained model
  int polls = 0, previews = 0;
  std::vector<std::string> phases;
  Callbacks callbacks;
  callbacks.on_progress = [&phases](const Progress& p) { phases.push_back(p.phase); };
  callbacks.on_preview = [&previews](const Image&) { ++previews; };
  callbacks.should_stop = [&polls] { return ++polls > 2; };
  const TrainResult stopped = train_disentangle(*images_, tiny(), options, callbacks);
  EXPECT_FALSE(stopped.finished);
  EXPECT_EQ(stopped.step, 0);  // stopped in the warm-up, before the first training step
  EXPECT_FALSE(inspect_model(options.out).finished);
  EXPECT_EQ(previews, 1);
  ASSERT_FALSE(phases.empty());
  EXPECT_EQ(phases.front(), "critic warm-up");
}

TEST_F(TrainedDisentangle, ChecksItsTransfersOnHeldBackPairsAndStoresTheCheck) {
  const std::optional<TransferSelfCheck> check = stored_self_check(inspect_model(model_path_));
  ASSERT_TRUE(check);
  EXPECT_EQ(check->pairs, 4);  // a tenth of 40 pictures per set held back
  for (double share : {check->judge_accuracy, check->a_onto_b_as_a, check->b_onto_a_as_b}) {
    EXPECT_GE(share, 0.0);
    EXPECT_LE(share, 1.0);
  }
  EXPECT_EQ(result_->warnings, check->warnings());
}

TEST(TransferSelfCheck, SaysPlainlyWhatDidNotSeparateAndWhatToTry) {
  TransferSelfCheck check;
  check.pairs = 30;
  check.judge_accuracy = 0.9;
  check.a_onto_b_as_a = 0.85;
  check.b_onto_a_as_b = 0.8;
  EXPECT_TRUE(check.separated());
  EXPECT_TRUE(check.warnings().empty());

  check.b_onto_a_as_b = 0.2;  // B's item stays behind: its transfers look like A pictures
  EXPECT_FALSE(check.separated());
  ASSERT_EQ(check.warnings().size(), 1u);
  EXPECT_NE(check.warnings()[0].find("B's attribute did not separate: only 20 %"),
            std::string::npos);
  EXPECT_NE(check.warnings()[0].find("Try the standard preset"), std::string::npos);

  check.judge_accuracy = 0.6;  // the judge itself cannot tell the sets apart: no verdict
  EXPECT_FALSE(check.conclusive());
  ASSERT_EQ(check.warnings().size(), 1u);
  EXPECT_NE(check.warnings()[0].find("could not judge"), std::string::npos);

  // As stored: read back the same, and damaged values never pass for a good check.
  ModelInfo info;
  info.state["self_check"] = check.to_json();
  ASSERT_TRUE(stored_self_check(info));
  EXPECT_EQ(stored_self_check(info)->warnings(), check.warnings());
  info.state["self_check"]["pairs"] = "many";
  EXPECT_FALSE(stored_self_check(info));
}

TEST_F(TrainedDisentangle, RefusesFilesOfAnotherMethod) {
  // A valid file of another method: rewrite this one's method id through a preset mismatch.
  Preset other = tiny();
  other.method = "singan";
  TrainOptions options;
  options.out = dir_->file("never.atl");
  EXPECT_THROW(train_disentangle(*images_, other, options), Error);
  std::ofstream(dir_->file("junk.atl")) << "not a model";
  EXPECT_THROW(DisentangleModel::load(dir_->file("junk.atl")), Error);
}

TEST(DisentangleBadInput, FoldersThatAreEmptyOrHoldOneImageAreRefusedByName) {
  test::TempDir dir("disentangle-bad");
  std::filesystem::create_directories(dir.path() / "empty");
  std::filesystem::create_directories(dir.path() / "one");
  std::filesystem::create_directories(dir.path() / "two");
  save_image(Image(40, 30, 3, 100), dir.file("one/x.png"));
  save_image(Image(40, 30, 3, 100), dir.file("two/x.png"));
  save_image(Image(20, 20, 3, 200), dir.file("two/y.jpg"));
  std::ofstream(dir.file("two/broken.png")) << "not a png";
  try {
    load_transfer_images(dir.file("empty"), dir.file("two"), 32);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("empty"), std::string::npos);
  }
  try {
    load_transfer_images(dir.file("two"), dir.file("one"), 32);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("one"), std::string::npos);
  }
  std::vector<std::string> warnings;
  const TransferImages images = load_transfer_images(
      dir.file("two"), dir.file("two"), 32, [&](const std::string& w) { warnings.push_back(w); });
  EXPECT_EQ(images.a.size(), 2u);
  bool named_broken = false, said_resized = false;
  for (const auto& w : warnings) {
    named_broken |= w.find("broken.png") != std::string::npos;
    said_resized |= w.find("resized") != std::string::npos;
  }
  EXPECT_TRUE(named_broken);
  EXPECT_TRUE(said_resized);
  // Training on a single image per set is refused naming the set.
  TransferImages one;
  one.a = {Image(32, 32, 3, 1)};
  one.b = {Image(32, 32, 3, 2), Image(32, 32, 3, 3)};
  TrainOptions options;
  options.out = dir.file("m.atl");
  try {
    train_disentangle(one, tiny(), options);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("set A"), std::string::npos);
  }
}

}  // namespace
}  // namespace atelier
