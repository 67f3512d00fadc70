// oneshot: presets, phase I on a real MNIST-M style set (its reconstruction improves), phase II
// from that file (selective backpropagation checked on the parameters), the operations of the
// trained model, the file round trip, resume after a stop, and bad input.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <thread>

#include "atelier/dataset.h"
#include "atelier/error.h"
#include "atelier/model_file.h"
#include "atelier/oneshot.h"
#include "core/model_archive.h"
#include "expect_error.h"
#include "methods/oneshot/data.h"
#include "methods/oneshot/trainer.h"
#include "test_support.h"

namespace atelier {
namespace {

using test::expect_error;

Preset tiny() {
  return load_preset("oneshot", "tiny");
}

Image digit_like(int size, int seed) {
  // A bright stroke on black, as MNIST digits are (the A domain of the tests).
  Image image(size, size, 3, 0);
  for (int y = size / 4; y < 3 * size / 4; ++y) {
    const int x = size / 3 + (seed + y) % (size / 3);
    for (int c = 0; c < 3; ++c) image.at(x, y)[c] = 255;
  }
  return image;
}

std::map<std::string, torch::Tensor> snapshot(torch::nn::Module& module) {
  std::map<std::string, torch::Tensor> values;
  for (const auto& p : module.named_parameters()) values[p.key()] = p.value().detach().clone();
  return values;
}

// Whether any parameter of `module` differs from its snapshot.
bool changed(torch::nn::Module& module, const std::map<std::string, torch::Tensor>& before) {
  for (const auto& p : module.named_parameters()) {
    if (!torch::equal(p.value().detach(), before.at(p.key()))) return true;
  }
  return false;
}

// One MNIST-M style set and a tiny phase I and phase II, shared by the tests.
class TrainedOneshot : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<test::TempDir>("oneshot-test");
    MnistmOptions set;
    set.out = dir_->file("mnistm");
    set.n = 48;
    set.size = 16;
    set.data_dir = test::data_dir();
    make_mnistm_dataset(set);
    b_ = new std::vector<Image>(load_oneshot_b_folder(set.out + "/train", 16));

    TrainOptions options;
    options.out = dir_->file("base.atl");
    options.seed = 3;
    options.compute.threads = 1;  // ctest runs tests in parallel: one thread each
    Callbacks callbacks;
    callbacks.on_progress = [](const Progress& p) {
      for (const auto& [name, value] : p.losses) {
        if (name == "rec_b" && first_rec_ < 0) first_rec_ = value;
      }
    };
    OneshotInputs inputs;
    inputs.b = *b_;
    inputs.b_folder = set.out + "/train";
    base_result_ = new TrainResult(train_oneshot(inputs, tiny(), options, callbacks));
    base_path_ = options.out;

    inputs.base = base_path_;
    inputs.a = digit_like(20, 1);  // another size than the model's: fitted
    options.out = dir_->file("translation.atl");
    translation_result_ = new TrainResult(train_oneshot(inputs, tiny(), options));
    translation_path_ = options.out;
  }
  static void TearDownTestSuite() {
    delete b_;
    delete base_result_;
    delete translation_result_;
    dir_.reset();
  }

  static std::unique_ptr<test::TempDir> dir_;
  static std::vector<Image>* b_;
  static TrainResult* base_result_;
  static TrainResult* translation_result_;
  static std::string base_path_, translation_path_;
  static double first_rec_;
};

std::unique_ptr<test::TempDir> TrainedOneshot::dir_;
std::vector<Image>* TrainedOneshot::b_ = nullptr;
TrainResult* TrainedOneshot::base_result_ = nullptr;
TrainResult* TrainedOneshot::translation_result_ = nullptr;
std::string TrainedOneshot::base_path_, TrainedOneshot::translation_path_;
double TrainedOneshot::first_rec_ = -1;

double loss_named(const TrainResult& result, const std::string& name) {
  for (const auto& [n, value] : result.final_losses)
    if (n == name) return value;
  ADD_FAILURE() << "no loss " << name;
  return -1;
}

TEST(OneshotParams, EveryPresetReadsAndRoundTrips) {
  for (const std::string& size : list_presets("oneshot")) {
    SCOPED_TRACE(size);
    const OneshotParams p = OneshotParams::from_preset(load_preset("oneshot", size));
    const OneshotParams again = OneshotParams::from_json(p.to_json(), "round trip");
    EXPECT_EQ(again.to_json(), p.to_json());
  }
  EXPECT_EQ(OneshotParams::from_preset(load_preset("oneshot", "preview")).network, "digits");
  EXPECT_EQ(OneshotParams::from_preset(load_preset("oneshot", "standard")).network, "photo");
}

TEST(OneshotParams, RefusesOwnLayersThatLeaveNothingToShare) {
  Preset preset = tiny();
  apply_overrides(preset, {"own_layers=3"});  // tiny has 2 downsamplings
  expect_error([&] { OneshotParams::from_preset(preset); }, ErrorKind::BadInput,
               {"--set own_layers=3", "own_layers"});
}

TEST(OneshotNetworks, BothArchitecturesKeepTheImageSize) {
  for (const char* size : {"tiny", "photo"}) {
    SCOPED_TRACE(size);
    OneshotParams p = OneshotParams::from_preset(load_preset("oneshot", size));
    p.image_size = 32;
    oneshot::OneshotNets nets(p, true);
    const torch::Tensor x = torch::rand({2, 3, 32, 32}) * 2 - 1;
    const torch::Tensor code = nets->encode(x, OneshotDomain::A);
    EXPECT_EQ(code.size(2), 32 >> p.downsamplings);
    EXPECT_EQ(nets->translate(x, OneshotDomain::A).sizes(), x.sizes());
    // A and B have their own outer layers; the shared ones are one set.
    EXPECT_FALSE(nets->own_parameters(OneshotDomain::A).empty());
    EXPECT_NE(nets->own_parameters(OneshotDomain::A).front().data_ptr(),
              nets->own_parameters(OneshotDomain::B).front().data_ptr());
  }
}

TEST(OneshotData, AugmentedCopiesDifferButStayCloseToTheImage) {
  const torch::Tensor image = torch::rand({1, 3, 16, 16}) * 2 - 1;
  const torch::Tensor copies = oneshot::augmented_copies(image, 6, {10, 0.1, 0.06, true});
  EXPECT_EQ(copies.sizes(), (std::vector<std::int64_t>{6, 3, 16, 16}));
  EXPECT_FALSE(torch::allclose(copies[0], copies[1]));
  const torch::Tensor none = oneshot::augmented_copies(image, 2, {0, 0, 0, false});
  EXPECT_TRUE(torch::allclose(none[0], image[0], 1e-4, 1e-4));
}

TEST_F(TrainedOneshot, PhaseOneTrainsAndTheReconstructionImproves) {
  EXPECT_TRUE(base_result_->finished);
  EXPECT_EQ(base_result_->step, OneshotParams::from_preset(tiny()).base_steps);
  ASSERT_GT(first_rec_, 0);
  EXPECT_LT(loss_named(*base_result_, "rec_b"), 0.8 * first_rec_);
  const OneshotFileState state = oneshot_file_state(base_path_);
  EXPECT_EQ(state.phase, 1);
  EXPECT_TRUE(state.finished);
  EXPECT_EQ(state.image_size, 16);
}

TEST_F(TrainedOneshot, PhaseTwoStartsFromPhaseOneAndTranslates) {
  EXPECT_TRUE(translation_result_->finished);
  EXPECT_EQ(oneshot_file_state(translation_path_).phase, 2);
  const OneshotModel model = OneshotModel::load(translation_path_);
  EXPECT_EQ(model.phase(), 2);
  for (const Image& out : {model.translate(digit_like(16, 2), OneshotDomain::A),
                           model.translate(b_->front(), OneshotDomain::B),
                           model.reconstruct(digit_like(16, 3), OneshotDomain::A),
                           model.reconstruct(b_->front(), OneshotDomain::B),
                           model.cycle(digit_like(24, 4)), model.a_image()}) {
    EXPECT_EQ(out.width, 16);
    EXPECT_EQ(out.height, 16);
    EXPECT_EQ(out.channels, 3);
  }
  EXPECT_EQ(model.translate_all({digit_like(16, 1), digit_like(16, 5)}, OneshotDomain::A).size(),
            2u);
  // The B side of phase II is phase I's, still training: B's reconstruction still works.
  const OneshotModel base = OneshotModel::load(base_path_);
  expect_error([&] { base.translate(b_->front(), OneshotDomain::A); }, ErrorKind::Usage,
               {"phase II"});
}

// Selective backpropagation: the A-side losses move A's own layers only; without it they move
// the shared layers and B's too.
TEST_F(TrainedOneshot, ASideLossesMoveOnlyAsOwnLayersUnderSelectiveBackprop) {
  const RawModelArchive base = read_raw_model_archive(base_path_, "oneshot");
  for (const bool selective : {true, false}) {
    SCOPED_TRACE(selective ? "selective" : "not selective");
    OneshotParams params = OneshotParams::from_preset(tiny());
    params.selective = selective;
    const Callbacks none;
    oneshot::Trainer trainer(params, "tiny", TrainOptions{}, none);
    trainer.start_translation(base, digit_like(16, 1), torch::kCPU);
    trainer.set_b_images(*b_);
    for (int i = 0; i < 3; ++i) trainer.draw_and_step();  // every optimiser has moments now

    auto& nets = trainer.nets();
    const auto enc_a = snapshot(*nets->enc_a), dec_a = snapshot(*nets->dec_a);
    const auto enc_shared = snapshot(*nets->enc_shared), dec_shared = snapshot(*nets->dec_shared);
    const auto enc_b = snapshot(*nets->enc_b), dec_b = snapshot(*nets->dec_b);
    const torch::Tensor xb = torch::rand({4, 3, 16, 16}) * 2 - 1;
    trainer.a_side_update(xb, trainer.draw_a_batch());

    EXPECT_TRUE(changed(*nets->enc_a, enc_a));
    EXPECT_TRUE(changed(*nets->dec_a, dec_a));
    EXPECT_EQ(changed(*nets->enc_shared, enc_shared), !selective);
    EXPECT_EQ(changed(*nets->dec_shared, dec_shared), !selective);
    EXPECT_EQ(changed(*nets->dec_b, dec_b), !selective);
    EXPECT_EQ(changed(*nets->enc_b, enc_b), !selective);
  }
}

TEST_F(TrainedOneshot, FileRoundTripGivesTheSameTranslation) {
  const OneshotModel first = OneshotModel::load(translation_path_);
  const OneshotModel second = OneshotModel::load(translation_path_);
  const Image a = digit_like(16, 6);
  EXPECT_EQ(first.translate(a, OneshotDomain::A).pixels,
            second.translate(a, OneshotDomain::A).pixels);
  const ModelInfo info = inspect_model(translation_path_);
  EXPECT_EQ(info.method, "oneshot");
  EXPECT_TRUE(info.finished);
  EXPECT_FALSE(info.thumbnail.empty());
  // The trained A image is kept: the one given, fitted to the model's size.
  EXPECT_EQ(first.a_image().pixels, oneshot::fit_image(digit_like(20, 1), 16).pixels);
}

TEST_F(TrainedOneshot, StopsResumablyAndResumesToTheEnd) {
  for (const bool phase_two : {false, true}) {
    SCOPED_TRACE(phase_two ? "phase II" : "phase I");
    OneshotInputs inputs;
    inputs.b = *b_;
    if (phase_two) {
      inputs.base = base_path_;
      inputs.a = digit_like(16, 2);
    }
    TrainOptions options;
    options.out = dir_->file(phase_two ? "stopped2.atl" : "stopped1.atl");
    options.compute.threads = 1;
    Callbacks callbacks;
    int polls = 0;
    callbacks.should_stop = [&polls] { return ++polls > 3; };
    const TrainResult stopped = train_oneshot(inputs, tiny(), options, callbacks);
    EXPECT_FALSE(stopped.finished);
    EXPECT_EQ(stopped.step, 3);
    EXPECT_FALSE(inspect_model(options.out).finished);

    TrainOptions resume;
    resume.resume = options.out;
    resume.compute.threads = 1;
    OneshotInputs b_only;
    b_only.b = *b_;
    const TrainResult done = train_oneshot(b_only, tiny(), resume);
    EXPECT_TRUE(done.finished);
    const OneshotParams p = OneshotParams::from_preset(tiny());
    EXPECT_EQ(done.step, phase_two ? p.translation_steps : p.base_steps);
    EXPECT_EQ(oneshot_file_state(options.out).phase, phase_two ? 2 : 1);
    expect_error([&] { train_oneshot(b_only, tiny(), resume); }, ErrorKind::Usage,
                 {"nothing to resume"});
  }
}

// A person who pressed Train sees a first picture soon, however far the regular previews are
// apart: once the first step that ends half a second into the run (PreviewSchedule) is done.
TEST_F(TrainedOneshot, ShowsAFirstPreviewHalfASecondIn) {
  OneshotInputs inputs;
  inputs.b = *b_;
  TrainOptions options;
  options.out = dir_->file("early.atl");
  options.compute.threads = 1;
  options.preview_every = 1000000;
  Callbacks callbacks;
  int reports = 0, previews = 0, steps = 0;
  callbacks.on_progress = [&](const Progress&) {
    // The first step's report comes after that step: make it end past half a second.
    if (reports++ == 0) std::this_thread::sleep_for(std::chrono::milliseconds(600));
  };
  callbacks.on_preview = [&](const Image&) { ++previews; };
  callbacks.should_stop = [&] { return ++steps > 3; };
  EXPECT_FALSE(train_oneshot(inputs, tiny(), options, callbacks).finished);
  EXPECT_EQ(previews, 1);
}

TEST_F(TrainedOneshot, RefusesABaseThatIsNotAFinishedPhaseOneModel) {
  OneshotInputs inputs;
  inputs.b = *b_;
  inputs.a = digit_like(16, 1);
  TrainOptions options;
  options.out = dir_->file("never.atl");
  inputs.base = translation_path_;
  expect_error([&] { train_oneshot(inputs, tiny(), options); }, ErrorKind::BadInput,
               {translation_path_, "phase I"});
  EXPECT_FALSE(std::filesystem::exists(options.out));
}

TEST(OneshotBadInput, FoldersThatCannotTrain) {
  test::TempDir dir("oneshot-bad");
  std::filesystem::create_directories(dir.file("empty"));
  expect_error([&] { load_oneshot_b_folder(dir.file("empty"), 16); }, ErrorKind::BadInput,
               {dir.file("empty")});
  std::filesystem::create_directories(dir.file("mixed"));
  save_image(Image(16, 16, 3, 10), dir.file("mixed/a.png"));
  save_image(Image(20, 16, 3, 10), dir.file("mixed/b.png"));
  expect_error([&] { load_oneshot_b_folder(dir.file("mixed"), 16); }, ErrorKind::BadInput,
               {dir.file("mixed"), "mixed sizes", "20x16"});
  // One size, another than the model's: fitted.
  std::filesystem::create_directories(dir.file("large"));
  save_image(Image(24, 24, 3, 10), dir.file("large/a.png"));
  save_image(Image(24, 24, 3, 90), dir.file("large/b.png"));
  const std::vector<Image> fitted = load_oneshot_b_folder(dir.file("large"), 16);
  ASSERT_EQ(fitted.size(), 2u);
  EXPECT_EQ(fitted[1].width, 16);
}

}  // namespace
}  // namespace atelier
