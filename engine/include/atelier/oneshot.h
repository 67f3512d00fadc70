// atelier/oneshot.h — One-Shot Unsupervised Cross Domain Translation (Benaim and Wolf, NeurIPS
// 2018).
//
// Phase I learns an autoencoder of domain B from a set of B images: an encoder E_B and a decoder
// G_B, each split into outer layers that are B's own and inner layers that will be shared. Phase
// II is given one single image of domain A. A's encoder E_A and decoder G_A start as copies of
// B's outer layers and share B's inner layers. A's image, augmented (small affine changes,
// flips), trains them with GAN losses both ways (A->B judged against B, B->A against the A
// image), the reconstruction of the A image and the one-way cycle A->B->A. Selective
// backpropagation: the A-side losses move only A's own outer layers, while B's losses keep
// training the shared ones, so the shared layers never overfit the single A image.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "atelier/compute.h"
#include "atelier/dataset.h"
#include "atelier/image.h"
#include "atelier/job.h"
#include "atelier/model_file.h"
#include "atelier/preset.h"

namespace atelier {

// Every field is a key of the preset's "params" (same name); all are required in a preset file.
struct OneshotParams {
  // Networks (phase II takes these from its phase I file, whatever its preset says).
  std::string network = "digits";  // "digits": small strided convolutions, no normalisation;
                                   // "photo": residual encoder and decoder, instance norm
  int image_size = 32;             // square side the images are centre-cropped and resized to
  int channels = 32;               // width of the first layer; doubles per stride-2 layer
  int max_channels = 256;
  int downsamplings = 3;  // stride-2 layers: the latent grid is image_size / 2^this
  int latent_channels = 64;
  int res_blocks = 0;  // photo: residual blocks on each side of the latent (shared)
  int own_layers = 1;  // outer layers of each encoder and decoder that are each
                       // domain's own (the rest is shared by A and B)
  double leaky_slope = 0.2;
  std::string upsampling =
      "transposed";  // digits decoder: "transposed" (4x4 stride-2
                     // transposed convolutions) or "resize" (nearest x2, 3x3 conv:
                     // no checkerboard); the photo decoder always resizes

  // Phase I (the autoencoder of B).
  int base_steps = 3000;
  int batch = 32;    // B images per step (both phases)
  double lr = 2e-4;  // B's layers and the shared ones (both phases)
  double beta1 = 0.5;
  double beta2 = 0.999;
  double rec_weight = 1;        // L1 reconstruction of B (and, in phase II, of A)
  double latent_weight = 0.01;  // mean square of the latent code (keeps it near the origin)
  double base_gan_weight = 0;   // phase I: GAN loss on B's reconstructions; 0: none
  bool flip = true;             // random horizontal flips of B images

  // Phase II (the single A image).
  int translation_steps = 500;
  int a_batch = 16;           // augmented copies of the A image per step
  double lr_a = 2e-4;         // A's own layers
  double lr_d = 2e-4;         // the discriminators
  double gan_weight = 1;      // least-squares GAN, A->B against B and B->A against A
  double cycle_weight = 1;    // |G_A(E_B(G_B(E_A(a)))) - a|; 0: the ablation without it
  bool selective = true;      // A-side losses move only A's own layers (the ablation: all)
  bool augment = true;        // random affine changes of the A image (ablation: copies)
  double max_rotation = 10;   // degrees
  double max_zoom = 0.1;      // scale within 1 +- this
  double max_shift = 0.06;    // fraction of the image side
  bool augment_flip = false;  // also flip the A image left-right (off for digits)
  int disc_channels = 32;

  static OneshotParams from_preset(const Preset& preset);
  static OneshotParams from_json(const nlohmann::json& params, const std::string& source);
  nlohmann::json to_json() const;
};

// A folder of B images for either phase: every image must have the same size (Error(BadInput)
// naming the folder and two files of different sizes); they are centre-cropped and resized to
// `size` when the folder's size differs (a note to `warn`). Error(BadInput) naming the folder
// when it is missing, empty or holds fewer than two readable images.
std::vector<Image> load_oneshot_b_folder(const std::string& dir, int size,
                                         const WarningSink& warn = {});
// One rank's shard of the folder for a data-parallel phase I (rank r of n: the files whose index
// is r modulo n); `total` receives the image count of the whole folder.
std::vector<Image> load_oneshot_b_shard(const std::string& dir, int size, int rank, int world_size,
                                        int& total, const WarningSink& warn = {});

struct OneshotInputs {
  std::vector<Image> b;  // domain B (both phases; phase II keeps training B's losses); in a
                         // data-parallel phase I this rank's shard of the folder
  int b_total = 0;       // images in the whole B folder over every rank's shard; 0: b.size()
  std::string b_folder;  // where b came from, recorded in the model file
  std::string base;      // phase II: the finished phase I model file
  Image a;               // phase II: the single image of domain A
};

// Phase I when inputs.base is empty, else phase II from that file (its networks; the preset
// gives the training keys). options.resume continues a stopped file of either phase with the
// parameters stored in it (phase II takes its A image from the file). Phase I may be data
// parallel (options.distributed: every rank passes its shard of the B folder, loaded with
// ImageFolderOptions::shard_index/shard_count, and reads the same --resume file; rank 0 alone
// writes options.out); phase II trains on one image in one process. Writes options.out;
// Error(BadInput) naming the file for a base of another method, an unfinished base or a phase
// II file given as base. Final losses include "rec_b" (and in phase II "rec_a", "cycle").
TrainResult train_oneshot(const OneshotInputs& inputs, const Preset& preset,
                          const TrainOptions& options, const Callbacks& callbacks = {});

// What a oneshot model file says about its training, without loading its networks.
struct OneshotFileState {
  int phase = 1;  // 1: autoencoder of B; 2: translation with its A image
  bool finished = false;
  std::string b_folder;  // the B folder it was trained on, as given then
  int image_size = 0;    // of its networks
};
// Error(BadInput) naming the file for a file of another method or a damaged one.
OneshotFileState oneshot_file_state(const std::string& path);

enum class OneshotDomain { A, B };

class OneshotModel {
 public:
  // A finished or resumable oneshot file of either phase. Error(BadInput) naming the file for a
  // file of another method or a damaged one.
  static OneshotModel load(const std::string& path, const ComputeOptions& compute = {});

  // Images of another size are centre-cropped and resized to image_size() first. The A-side
  // operations need a phase II model (Error(Usage) otherwise).
  Image translate(const Image& image, OneshotDomain from) const;  // A->B: G_B(E_A(x)); B->A
  Image reconstruct(const Image& image, OneshotDomain domain) const;
  Image cycle(const Image& a_image) const;  // G_A(E_B(G_B(E_A(a))))
  // Many images at once (A->B or B->A), as the evaluation uses it.
  std::vector<Image> translate_all(const std::vector<Image>& images, OneshotDomain from) const;

  int phase() const;
  Image a_image() const;  // phase II: the A image it was trained on (at image_size)
  const ModelInfo& info() const;
  const OneshotParams& params() const;
  int image_size() const;
  std::string device() const;

 private:
  struct Impl;
  explicit OneshotModel(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

// ---- Evaluation: MNIST (one image of A) to MNIST-M style digits (B) ----

struct OneshotEvalOptions {
  std::string base;     // finished phase I model file, trained on b_train's images
  std::string b_train;  // labelled MNIST-M style folder (make-dataset mnistm: train/): the
                        // digit classifier learns its labels, phase II its images
  std::string b_test;   // labelled test folder: the classifier's own accuracy (reference)
  std::string mnist;    // MNIST IDX folder (domain A); empty: <data>/digits/mnist
  std::string preset = "preview";      // phase II's training keys
  std::vector<std::string> overrides;  // key=value on that preset
  int runs = 10;          // single A images (MNIST training digits, drawn with the seed)
  int test_digits = 500;  // MNIST test digits translated per run
  int classifier_steps = 2000;
  // "full" and the ablations "no-selective", "no-cycle", "no-augment" (the same A images each).
  std::vector<std::string> variants = {"full", "no-selective", "no-cycle", "no-augment"};
  std::uint64_t seed = 1;
};

struct OneshotEvalResult {
  double classifier_accuracy = 0;    // on b_test's real images
  double untranslated_accuracy = 0;  // on the MNIST test digits as they are (no translation):
                                     // what a translation must beat to have helped the judge
  // The domain judge (A's MNIST digits against B's images, same network with two classes):
  // its accuracy on the MNIST test digits and on b_test's real images.
  double domain_judge_a_accuracy = 0;
  double domain_judge_b_accuracy = 0;
  // The baseline that needs no A image: B's phase I autoencoder run on the MNIST test digits.
  // It keeps many digits, but should not look like B; a translation must do both.
  double b_autoencoder_accuracy = 0;  // read as their true digit
  double b_autoencoder_domain = 0;    // taken for B by the domain judge
  int runs = 0;
  int test_digits = 0;
  std::vector<int> a_indices;  // the MNIST training digit of each run
  std::vector<int> a_labels;
  struct Variant {
    std::string name;
    std::vector<double> accuracy;  // per run: translations classified as their true digit
    std::vector<double> domain;    // per run: translations the domain judge takes for B
    std::vector<double> both;      // per run: their true digit and taken for B
    double mean = 0;               // of accuracy
    double spread = 0;             // its sample standard deviation over runs (0 for one run)
    double domain_mean = 0;
    double both_mean = 0;
    double both_spread = 0;
    double seconds = 0;  // phase II trainings and translations of this variant
  };
  std::vector<Variant> variants;
  double seconds = 0;
  nlohmann::json to_json() const;
};

// Progress phases: "classifier" and "domain judge" (their training steps), then "<variant> run
// r/n" (phase II steps); a stop request ends it with ErrorKind::Cancelled.
OneshotEvalResult evaluate_oneshot(const OneshotEvalOptions& options,
                                   const ComputeOptions& compute = {}, const WarningSink& warn = {},
                                   const Callbacks& callbacks = {});

// ---- Benchmark ----

struct OneshotBenchOptions {
  ComputeOptions compute;
  std::string preset = "preview";
  int steps = 5;     // timed training steps of each phase (after one warm-up)
  int repeats = 20;  // timed translations of one image; the median is reported
};

struct OneshotBenchResult {
  std::string device;
  int threads = 0;
  std::string network;
  int image_size = 0;
  int batch = 0;
  int a_batch = 0;
  double base_step_ms = 0;         // median
  double translation_step_ms = 0;  // median
  double translate_ms = 0;         // one image A->B, median
  double base_minutes = 0;         // the preset's phase I at that speed
  double translation_minutes = 0;  // and its phase II
  double peak_rss_mb = 0;
};

OneshotBenchResult bench_oneshot(const OneshotBenchOptions& options = {});

}  // namespace atelier
