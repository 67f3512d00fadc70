// The SinGAN / ConSinGAN training loop: coarse to fine, the newest `train_depth` scales together.
#pragma once

#include <torch/optim/adam.h>

#include <functional>
#include <memory>
#include <vector>

#include "atelier/singan.h"
#include "core/model_archive.h"
#include "core/progress_clock.h"
#include "core/scale_loop.h"
#include "methods/singan/checkpoint.h"
#include "methods/singan/networks.h"
#include "nn/fused_adam.h"

namespace atelier::singan {

class Trainer {
 public:
  Trainer(const Preset& preset, const TrainOptions& options, const Callbacks& callbacks);
  TrainResult run(const Image& image);

  struct Losses {
    double d = 0, gp = 0, adv = 0, rec = 0;
  };

  // Step by step (the benchmark): picks the device and enters scale 0 of `image`'s pyramid; then
  // iterate() trains one iteration of the current scale and next_scale() enters the next one.
  void prepare(const Image& image);
  Losses iterate();
  void next_scale();
  int scale() const { return pos_.scale; }
  int scale_count() const { return static_cast<int>(stack_.sizes.size()); }
  const std::vector<ScaleSize>& sizes() const { return stack_.sizes; }
  const SinganParams& params() const { return params_; }
  // Convolution FLOPs of one iteration of the current scale (forward and backward passes).
  double iteration_flops() const;

 private:
  void start_fresh(const Image& image);
  void start_from_file(const std::string& path);
  // Adds scale k (noise amplitude, generator, critic), or with `resumed` takes those already
  // loaded; then freezes the older scales and builds the optimizers.
  void enter_scale(int k, bool resumed, const RawModelArchive* archive);
  void set_learning_rates();
  // The phases of iterate(): the critic steps judge `fake`; the generator steps train on `out`
  // (sample in row 0, reconstruction in row 1, with its graph), run again after the first step.
  void critic_steps(const torch::Tensor& real, const torch::Tensor& fake, Losses& losses);
  void generator_steps(const torch::Tensor& real, torch::Tensor out,
                       const std::function<torch::Tensor()>& rerun, Losses& losses);
  void preview();
  void save(bool finished);
  int first_trainable() const;
  // Error(Usage) when training at `sizes` needs more memory than the machine has.
  void require_memory_for(const std::vector<ScaleSize>& sizes) const;

  SinganParams params_;
  std::string preset_name_;
  TrainOptions options_;
  const Callbacks& callbacks_;
  torch::Device device_{torch::kCPU};

  GeneratorStack stack_;
  std::vector<torch::Tensor> reals_;
  nn::PatchDiscriminator critic_{nullptr};
  std::unique_ptr<nn::FusedAdam> opt_g_;
  std::unique_ptr<nn::FusedAdam> opt_d_;
  torch::Tensor rec_prev_;  // frozen scales' reconstruction, input of the first trainable scale

  ScalePosition pos_;
  double elapsed_before_s_ = 0;
  std::unique_ptr<ScaleLoop> loop_;
};

}  // namespace atelier::singan
