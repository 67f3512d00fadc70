// The videogen training loop: coarse to fine; VAE levels learn by reconstruction and KL, GAN
// levels by WGAN-GP and reconstruction; the newest `train_depth` levels train together.
#pragma once

#include <torch/optim/adam.h>

#include <memory>
#include <vector>

#include "atelier/videogen.h"
#include "core/model_archive.h"
#include "core/progress_clock.h"
#include "core/scale_loop.h"
#include "methods/videogen/checkpoint.h"
#include "methods/videogen/stack.h"
#include "nn/fused_adam.h"

namespace atelier::videogen {

class Trainer {
 public:
  Trainer(const Preset& preset, const TrainOptions& options, const Callbacks& callbacks);
  TrainResult run(const Video& clip);

  // rec: reconstruction MSE (unweighted); kl: the VAE levels' KL per latent value; d, gp, adv:
  // the critic's Wasserstein estimate, its gradient penalty and the generator's adversarial loss.
  struct Losses {
    double rec = 0, kl = 0, d = 0, gp = 0, adv = 0;
  };

  // Step by step (the benchmark): picks the device and enters level 0 of `clip`'s pyramid; then
  // iterate() trains one iteration of the current level and next_level() enters the next one.
  void prepare(const Video& clip);
  Losses iterate();
  void next_level();
  int level() const { return pos_.scale; }
  int level_count() const { return static_cast<int>(stack_.sizes.size()); }
  const std::vector<LevelSize>& sizes() const { return stack_.sizes; }
  const VideogenParams& params() const { return params_; }
  bool is_vae_level(int k) const { return k < params_.vae_levels; }
  int iterations(int k) const {
    return is_vae_level(k) ? params_.vae_iterations : params_.iterations;
  }
  // Convolution FLOPs of one iteration of the current level (forward and backward passes).
  double iteration_flops() const;

 private:
  void start_fresh(const Video& clip);
  void start_from_file(const std::string& path);
  // Error(Usage) when training the levels of stack_.sizes needs more memory than the machine has.
  void require_training_memory() const;
  // Adds level k (its refiner and noise amplitude, a critic for GAN levels), or with `resumed`
  // takes those already loaded; then freezes older levels and builds the optimizers.
  void enter_level(int k, bool resumed, const RawModelArchive* archive);
  Losses iterate_vae();
  Losses iterate_gan();
  void set_learning_rates();
  int first_trainable() const;
  bool vae_trainable() const { return first_trainable() == 0; }
  // The same random crop (critic_crop pixels a side) of two clips.
  std::pair<torch::Tensor, torch::Tensor> crop_pair(const torch::Tensor& a, const torch::Tensor& b);
  void preview();
  void save(bool finished);
  std::vector<ProgressClock::Stage> clock_stages() const;

  VideogenParams params_;
  std::string preset_name_;
  TrainOptions options_;
  const Callbacks& callbacks_;
  torch::Device device_{torch::kCPU};

  VideoStack stack_;
  std::vector<torch::Tensor> reals_;  // 1 x 3 x T x H x W per level
  double fps_ = 25;
  Critic critic_{nullptr};  // GAN levels
  std::unique_ptr<nn::FusedAdam> opt_g_;
  std::unique_ptr<nn::FusedAdam> opt_d_;
  std::vector<int> group_ages_;  // per generator param group: levels below the newest (lr scale)
  torch::Tensor rec_prev_;  // frozen levels' reconstruction, input of the first trainable GAN level

  ScalePosition pos_;  // scale = level
  double elapsed_before_s_ = 0;
  std::unique_ptr<ScaleLoop> loop_;
};

}  // namespace atelier::videogen
