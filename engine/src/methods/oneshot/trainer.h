// The two training phases of oneshot in one loop: phase I (the autoencoder of B) and phase II
// (the single A image, from a finished phase I file).
#pragma once

#include <torch/optim/adam.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "atelier/oneshot.h"
#include "core/data_parallel.h"
#include "core/gradient_sum.h"
#include "core/model_archive.h"
#include "core/progress_clock.h"
#include "methods/oneshot/checkpoint.h"
#include "methods/oneshot/networks.h"
#include "nn/fused_adam.h"

namespace atelier::oneshot {

struct StepLosses {
  double rec_b = 0, latent = 0, gan_base = 0;           // B's losses (both phases)
  double rec_a = 0, gan_ab = 0, gan_ba = 0, cycle = 0;  // phase II, A side
  double d = 0;                                         // the discriminators
  std::vector<std::pair<std::string, double>> named(int phase) const;
};

class Trainer {
 public:
  Trainer(OneshotParams params, std::string preset_name, const TrainOptions& options,
          const Callbacks& callbacks);

  TrainResult run(const OneshotInputs& inputs);

  // The pieces of run(), also used by the evaluation, the benchmark and the tests.
  void start_base(const torch::Device& device);  // phase I, fresh networks
  // Phase II from a finished phase I file and the single A image (any size: fitted).
  void start_translation(const RawModelArchive& base, const Image& a_image,
                         const torch::Device& device);
  // `total` > 0: b is this rank's shard of a folder of that many images.
  void set_b_images(const std::vector<Image>& b, std::int64_t total = 0);
  // Draws the batches of the current phase and runs one step of it.
  StepLosses draw_and_step();
  // share: this rank's part of the global batch in a data-parallel phase I (1 in one process).
  StepLosses base_step(const torch::Tensor& xb, double share = 1.0);
  StepLosses translation_step(const torch::Tensor& xb, const torch::Tensor& xa);
  // The A-side losses alone and their update (what selective backpropagation restricts).
  void a_side_update(const torch::Tensor& xb, const torch::Tensor& xa);
  torch::Tensor draw_a_batch();

  int phase() const { return phase_; }
  int phase_steps() const;
  const OneshotParams& params() const { return params_; }
  OneshotNets& nets() { return nets_; }
  const torch::Device& device() const { return device_; }

 private:
  struct Fakes {
    torch::Tensor ab, ba;  // A->B and B->A translations of the step
  };
  void build_optimisers();
  // Phase I over several processes: meet the other ranks, start from rank 0's networks.
  void join_ranks();
  // The optimisers' gradient sums over the ranks (again when join_ranks replaces parallel_).
  void make_gradient_sums();
  void start_from_file(const std::string& path);
  void require_training_memory() const;
  torch::Tensor b_losses(const torch::Tensor& xb, const torch::Tensor& code_b, StepLosses& losses);
  // Computes the A-side losses and their gradients (code_b: B's codes, detached).
  Fakes a_side_losses(const torch::Tensor& xa, const torch::Tensor& code_b, StepLosses& losses);
  double discriminator_step(const std::vector<std::pair<Discriminator*, torch::Tensor>>& real,
                            const std::vector<std::pair<Discriminator*, torch::Tensor>>& fake,
                            double share = 1.0);
  void report(bool force);
  Image preview_grid();
  double held_reconstruction(Domain domain);
  void save(bool finished);

  OneshotParams params_;
  nlohmann::json params_json_;
  std::string preset_name_;
  TrainOptions options_;
  const Callbacks& callbacks_;
  torch::Device device_{torch::kCPU};

  int phase_ = 1;
  TrainingState state_;
  torch::Tensor b_set_;            // uint8 N x 3 x S x S (a data-parallel rank: its shard)
  std::int64_t b_total_ = 0;       // images of B over every rank's shard
  torch::Tensor b_owner_, b_row_;  // per image of B: the rank holding it, its row there
  std::unique_ptr<DataParallel> parallel_;
  torch::Tensor a_image_;  // phase II: 1 x 3 x S x S float
  OneshotNets nets_{nullptr};
  Discriminator d_b_{nullptr}, d_a_{nullptr};
  std::unique_ptr<nn::FusedAdam> opt_b_, opt_a_, opt_d_;
  std::unique_ptr<GradientSum> grads_b_, grads_d_;  // of opt_b_ and opt_d_
  std::int64_t step_ = 0;
  double elapsed_before_s_ = 0;
  std::unique_ptr<ProgressClock> clock_;
  double last_report_s_ = -1;
  StepLosses last_;
};

}  // namespace atelier::oneshot
