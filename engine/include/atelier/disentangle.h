// atelier/disentangle.h — Domain Intersection and Domain Difference (Benaim et al., ICCV 2019).
//
// Two image sets A and B share content (the intersection) and each has content of its own (the
// differences). A common encoder Ec, separate encoders EsA and EsB and one generator G(common,
// sepA, sepB) learn the split; a discriminator on the common code keeps Ec(A) and Ec(B) alike.
// Then G(Ec(b), EsA(a), 0) puts a's attribute onto b, G(Ec(x), 0, 0) removes both attributes,
// and codes can be scaled and interpolated.
//
// Atelier's generator is layered (see DisentangleParams::generator): a background rendered from
// the common code, and over it one layer per domain (colour and soft mask) rendered from that
// domain's separate code. The common encoder sees the image with its attribute layers erased.
// This is the mask idea of masktransfer (ICLR 2020) applied inside the generator; it keeps the
// attributes out of the common code far faster than the paper's latent adversary alone. The
// paper's plain generator (codes concatenated into one decoder) is the "concat" option.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
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
// The defaults are the paper's settings where it has one.
struct DisentangleParams {
  // Images and networks.
  int image_size = 128;       // 32, 64 or 128: the square size images are cropped/resized to
  int channels = 32;          // encoder width after the first stride-2 layer; doubles per layer
  int max_channels = 256;     // encoder width cap
  int decoder_channels = 32;  // generator width before the image layer; doubles per layer up
  int common_grid = 2;        // common code: common_channels x common_grid x common_grid
  int common_channels = 256;
  int separate_grid = 2;  // each separate code: separate_channels x grid x grid
  int separate_channels = 25;
  int separate_depth = 0;        // extra 3x3 layers at the separate grid in EsA/EsB and (layered)
                                 // the attribute decoders: a wider view for fine separate codes
  bool separate_colour = false;  // the last 3 channels of each separate code are the picture's
                                 // colour (pooled to the grid) times the code's first channel
                                 // clamped to [0, 1], so that a code carries its attribute's
                                 // colour (without it, the layers were measured painting one
                                 // average colour for every picture)
  double leaky_slope = 0.2;
  double padain_p = 0;               // Permuted AdaIN probability in every encoder layer; 0: none
  std::string generator = "concat";  // "layered" (base + masked attribute layers) or "concat"
  bool erase_attributes = false;     // layered only: Ec sees the image with its layers erased
  std::string decoder_upsampling = "transposed";  // "transposed" (the paper's 4x4 stride-2
                                                  // deconvolutions) or "resize" (nearest x2 + 3x3
                                                  // conv: no checkerboard in thin strokes)
  double erase_box_p = 0;  // training only: chance of an extra random box erased from
                           // Ec's input, which teaches the background to fill holes

  // Training.
  int steps = 100000;
  int batch = 32;
  double lr = 2e-4;    // encoders and generator
  double lr_d = 2e-4;  // latent discriminator
  double beta1 = 0.5;
  double beta2 = 0.999;
  double grad_clip = 5;         // gradient norm clip (both optimizers); 0: none
  double rec_weight = 1;        // |G(Ec(a), EsA(a), 0) - a| + |G(Ec(b), 0, EsB(b)) - b|
  double zero_weight = 1;       // |EsA(b)| + |EsB(a)|
  double adv_weight = 0.001;    // encoders against the latent discriminator
  double cycle_weight = 0;      // codes of transfers: EsA(t_ab) = EsA(a), Ec(t_ab) = Ec(b), ...
  double mask_weight = 0;       // layered: mean of the attribute masks (keeps them tight)
  double domain_weight = 0;     // patch domain critic (Atelier's addition; 0: none): a small
                                // fully convolutional net learns, on real images only, which
                                // patches look like A or like B (shared background: neither).
                                // Removals must show neither anywhere; a transfer must show the
                                // A (B) evidence of its source and no B (A) evidence. It
                                // learns with lr_d, first alone for min(300, steps / 4) steps
  double guide_weight = 0;      // layered, with the critic: wherever the critic is confident a
                                // real image shows its domain, that domain's attribute mask
                                // must cover it (a weak segmentation that starts the layers
                                // on the attributes from the first steps)
  int guide_area = 1;           // side of the square the guide averages a mask over before it
                                // asks for the mask in a cell: 1 lets one pixel answer for a
                                // cell (masks of scattered dots), 3 asks for solid cover
  int guide_reach = 0;          // cells around a confident cell whose mask may answer for it:
                                // with 0 the cells between a digit's strokes wanted cover of
                                // their own, and masks grew into blobs around the digit; with 1
                                // the strokes through a neighbouring cell answer
  double layer_fit_weight = 0;  // layered: each attribute layer's colours must match the image
                                // wherever its mask covers it, so a layer covers only what it
                                // can paint (the reconstruction alone lets a grey blob stay)
  double guide_start_at = 0.5;  // critic confidence from which the guide wants any mask: the
                                // cells of the shared content hover around 1/2, and each one a
                                // little above it asked for a little cover, which masks of
                                // thin stripes over the whole picture gave most cheaply
  double guide_full_at = 1.0;   // critic confidence at which the guide wants a full mask; the
                                // wanted coverage rises linearly from 0 at guide_start_at
  double guide_solid_from = 0;  // fraction of training spent warming up: until then the guide
                                // looks at single pixels (as guide_area 1), layer_fit_weight
                                // is off and masktransfer's domain loss judges rendered
                                // transfers (as disentangle's). The guide and the fit then
                                // blend in over the next tenth of training. Solid cover asked
                                // of layers that have not learned colours yet settles into
                                // grey blobs; 0: no warm-up
  bool flip = true;             // random horizontal flips
  double test_fraction = 0.05;  // images of each set held out to measure reconstruction
  int self_check_steps = 2000;  // training steps of the self-check's judge once the model is
                                // trained (TransferSelfCheck); 0: no self-check

  static DisentangleParams from_preset(const Preset& preset);
  static DisentangleParams from_json(const nlohmann::json& params, const std::string& source);
  nlohmann::json to_json() const;
};

// The two image sets. Any sizes: images are centre-cropped and resized to image_size.
struct TransferImages {
  std::vector<Image> a;
  std::vector<Image> b;
  // A rank of a data-parallel training (TrainOptions::distributed) holds only its shard of each
  // folder (ImageFolderOptions::shard_index): these count the whole folders' images. 0: a and b
  // are the whole sets.
  int a_total = 0;
  int b_total = 0;
};

// Loads two folders for training or evaluation with load_image_folder (size `size`). Unreadable
// files are reported to `warn` naming the file; resized images are counted and reported to `warn`
// once per folder. Error(BadInput) naming the folder when it is missing, empty or holds fewer than
// two readable images. With a world size above 1, only the shard of rank `rank` is read (every
// file must then be readable: the ranks number them alike).
TransferImages load_transfer_images(const std::string& dir_a, const std::string& dir_b, int size,
                                    const WarningSink& warn = {}, int rank = 0, int world_size = 1);

// Trains on the two sets (at least 2 images each). Writes options.out; when stopped, a resumable
// file (finished = false). options.resume continues such a file with the parameters stored in it.
// Final losses include "test_rec" (L1 of the held-out images' reconstruction, [-1, 1] scale).
TrainResult train_disentangle(const TransferImages& images, const Preset& preset,
                              const TrainOptions& options, const Callbacks& callbacks = {});

// After a finished training (disentangle or masktransfer) the model checks itself on the pairs
// held back from it: the evaluation's A-vs-B judge, trained on the training pictures, says whether
// each held-back transfer shows its source's attribute. The check is stored in the model file, and
// its warnings go into TrainResult::warnings.
struct TransferSelfCheck {
  int pairs = 0;              // held-back pairs judged
  double judge_accuracy = 0;  // the judge on the held-back real pictures
  double a_onto_b_as_a = 0;   // held-back transfers of A's attribute onto B pictures judged A
  double b_onto_a_as_b = 0;   // and of B's attribute onto A pictures judged B

  // The judge tells the real pictures apart well enough for its verdicts to mean something.
  bool conclusive() const;
  // Conclusive, and most transfers carry their attribute, both ways.
  bool separated() const;
  // Plain sentences for the user: none when separated; else what went wrong and what to try.
  std::vector<std::string> warnings() const;
  nlohmann::json to_json() const;
};

// The check stored in a disentangle or masktransfer model file; none for stopped trainings, sets
// too small to hold pairs back, and files written before the check existed.
std::optional<TransferSelfCheck> stored_self_check(const ModelInfo& info);

enum class Attribute { A, B };

// A code: C x H x W floats (row-major). Plain values, so front ends can store and edit them.
struct LatentCode {
  std::vector<std::int64_t> shape;
  std::vector<float> values;
};

struct DisentangleCodes {
  LatentCode common;
  LatentCode a;  // EsA(x)
  LatentCode b;  // EsB(x)
};

enum class CodePart { Common, A, B, All };

class DisentangleModel {
 public:
  // Reads a finished or resumable disentangle model file. Error(BadInput) naming the file for a
  // file of another method or a damaged one.
  static DisentangleModel load(const std::string& path, const ComputeOptions& compute = {});

  // Images of another size are centre-cropped and resized to image_size() first.
  DisentangleCodes encode(const Image& image) const;
  // G(common, a, b). Error(BadInput) when a code's shape is not the model's.
  Image generate(const DisentangleCodes& codes) const;
  // G(Ec(x), EsA(x), EsB(x)).
  Image reconstruct(const Image& image) const;
  // The attribute of `from` onto `onto`: A: G(Ec(onto), EsA(from), 0); B: G(Ec(onto), 0,
  // EsB(from)).
  Image transfer(const Image& from, const Image& onto, Attribute attribute) const;
  // G(Ec(x), 0, 0).
  Image remove(const Image& image) const;
  // G(Ec(x), s EsA(x), EsB(x)) for A (B alike); s in [0, 2].
  Image strength(const Image& image, Attribute attribute, double s) const;
  // `steps` images (>= 2) from `from` to `to`: the chosen part's codes are interpolated linearly,
  // the other parts stay those of `from` (All: everything interpolates).
  std::vector<Image> interpolate(const Image& from, const Image& to, int steps,
                                 CodePart part) const;
  // rows x columns images: the common code goes from `from` to `to` down the rows, the separate
  // codes from `from` to `to` across the columns.
  std::vector<Image> interpolation_grid(const Image& from, const Image& to, int rows,
                                        int columns) const;
  // The attribute whose separate code of `image` is stronger (EsA vs EsB, mean absolute value).
  Attribute dominant_attribute(const Image& image) const;

  const ModelInfo& info() const;
  const DisentangleParams& params() const;
  int image_size() const;
  std::string device() const;

 private:
  struct Impl;
  explicit DisentangleModel(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

// ---- Evaluation and benchmark ----

struct TransferEvalOptions {
  std::string truth;            // composite truth folder (test/truth) or empty
  std::string judge_a;          // real images to train the A-vs-B judge on (e.g. the training
  std::string judge_b;          // folders); empty: 80 % of the evaluated folders
  int max_pairs = 0;            // 0: every pair min(|A|, |B|)
  int classifier_steps = 4000;  // training steps of the A-vs-B classifier
  std::uint64_t seed = 1;
  double mask_threshold = -1;  // masktransfer: removal threshold; < 0: the model's mask_threshold
  std::string save_dir;        // when set: a new or empty folder that gets every transfer and
                               // removal as PNG and verdicts.json (the judge's P(A) per transfer)
};

struct TransferEvalResult {
  int pairs = 0;
  double rec_l1_a = 0, rec_l1_b = 0;      // mean |x - rec| in [0, 1] pixel units
  double rec_psnr_a = 0, rec_psnr_b = 0;  // mean over images, dB
  double classifier_accuracy = 0;         // on real images it did not train on
  double a_to_b_as_a = 0;                 // share of transfers of A's attribute onto B images
                                          // that the classifier calls A
  double b_to_a_as_b = 0;                 // and of B's attribute onto A images called B
  bool has_truth = false;
  double removal_psnr_a = 0, removal_psnr_b = 0;      // against the true backgrounds
  double transfer_psnr_ab = 0, transfer_psnr_ba = 0;  // against the true composites
  double truth_ab_as_a = 0, truth_ba_as_b = 0;        // the classifier on the true composites
  double seconds = 0;
  nlohmann::json to_json() const;
};

// Evaluates a disentangle or masktransfer model file (by its method) on two test folders.
// Progress has the phases "transfer" (chunks of pairs) and "judge" (the classifier's training
// steps); a stop request ends the evaluation with an ErrorKind::Cancelled error.
TransferEvalResult evaluate_transfer_model(const std::string& model_path, const std::string& dir_a,
                                           const std::string& dir_b,
                                           const TransferEvalOptions& options,
                                           const ComputeOptions& compute = {},
                                           const WarningSink& warn = {},
                                           const Callbacks& callbacks = {});

struct TransferBenchOptions {
  ComputeOptions compute;
  std::string method = "disentangle";  // or "masktransfer"
  std::string preset = "preview";
  int train_steps = 5;  // timed training steps (after one warm-up)
  int repeats = 20;     // timed encode / generate calls; the median is reported
};

struct TransferBenchResult {
  std::string device;
  int threads = 0;
  int image_size = 0;
  int batch = 0;
  double train_step_ms = 0;       // median
  double train_images_per_s = 0;  // both domains' images per second
  double peak_rss_mb = 0;         // process peak resident memory after the benchmark
  struct Latency {
    int size = 0;
    double encode_ms = 0;
    double generate_ms = 0;
  };
  std::vector<Latency> latency;  // one image, at 64 and 128 px
};

TransferBenchResult bench_transfer(const TransferBenchOptions& options = {});

}  // namespace atelier
