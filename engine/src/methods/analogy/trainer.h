// The analogy's training loop: coarse to fine, per scale both domains' chains (samples and
// reconstruction) and the translations between them, the newest `train_depth` scales together.
#pragma once

#include <torch/optim/adam.h>

#include <array>
#include <memory>
#include <vector>

#include "atelier/analogy.h"
#include "core/model_archive.h"
#include "core/progress_clock.h"
#include "core/scale_loop.h"
#include "methods/analogy/checkpoint.h"
#include "methods/analogy/networks.h"
#include "nn/fused_adam.h"

namespace atelier::analogy {

class Trainer {
 public:
  Trainer(const Preset& preset, const TrainOptions& options, const Callbacks& callbacks);
  TrainResult run(const Image& a, const Image& b);

  // Losses summed over both domains. d: critics' Wasserstein estimates, gp: penalties, adv: the
  // samples' adversarial loss, trans: the translations', rec: reconstruction MSE, cyc: cycle L1.
  struct Losses {
    double d = 0, gp = 0, adv = 0, trans = 0, rec = 0, cyc = 0;
  };

  // Step by step (the benchmark): as in singan::Trainer.
  void prepare(const Image& a, const Image& b);
  Losses iterate();
  void next_scale();
  int scale() const { return pos_.scale; }
  int scale_count() const { return static_cast<int>(a_.stack.sizes.size()); }
  const std::vector<ScaleSize>& sizes() const { return a_.stack.sizes; }
  const AnalogyParams& params() const { return params_; }
  double iteration_flops() const;

 private:
  // One domain's part of an iteration: its sample (row 0 of `both`), reconstruction (row 1) and
  // translation from the other domain, with their graphs.
  struct Side {
    Domain d;
    nn::GeneratorStack::Pair pair;  // the sample's and the reconstruction's inputs (noise included)
    torch::Tensor both, trans;
  };
  using Sides = std::array<Side, 2>;  // domain A, then B
  // Draws the side's noise and runs its chains; generate() runs them (again) with the current
  // generators.
  Side start_side(Domain d, int k, const torch::Tensor& rec_prev);
  void generate(Side& side, int k) const;
  // The phases of iterate(): the critic steps judge the sides' samples and translations, the
  // generator steps train on them.
  void critic_steps(const Sides& sides, int k, Losses& losses);
  void generator_steps(Sides& sides, int k, Losses& losses);
  void start_fresh(const Image& a, const Image& b);
  void start_from_file(const std::string& path);
  void enter_scale(int k, bool resumed, const RawModelArchive* archive);
  void set_learning_rates();
  void preview();
  void save(bool finished);
  int first_trainable() const;
  // Error(Usage) when training at `sizes` needs more memory than the machine has.
  void require_memory_for(const std::vector<ScaleSize>& sizes) const;
  DomainStack& domain(Domain d) { return d == Domain::A ? a_ : b_; }
  const DomainStack& domain(Domain d) const { return d == Domain::A ? a_ : b_; }
  nn::PatchDiscriminator& critic(Domain d) { return d == Domain::A ? critic_a_ : critic_b_; }

  AnalogyParams params_;
  std::string preset_name_;
  TrainOptions options_;
  const Callbacks& callbacks_;
  torch::Device device_{torch::kCPU};

  DomainStack a_, b_;
  nn::PatchDiscriminator critic_a_{nullptr}, critic_b_{nullptr};
  std::unique_ptr<nn::FusedAdam> opt_g_;
  std::unique_ptr<nn::FusedAdam> opt_d_;
  torch::Tensor rec_prev_a_, rec_prev_b_;  // frozen scales' reconstructions

  ScalePosition pos_;
  double elapsed_before_s_ = 0;
  std::unique_ptr<ScaleLoop> loop_;
};

}  // namespace atelier::analogy
