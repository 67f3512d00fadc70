// Small helpers of the GAN training loops (singan, analogy).
#pragma once

#include <torch/nn/module.h>
#include <torch/optim/adam.h>

#include <string>
#include <vector>

namespace atelier::nn {

// Turns gradient tracking of every parameter of `module` on or off.
void set_trainable(torch::nn::Module& module, bool on);

// Holds the weights of some modules fixed while alive: gradients pass through them to their
// inputs but do not reach their weights. Null modules are skipped; weights already fixed stay so.
class FrozenWeights {
 public:
  explicit FrozenWeights(const std::vector<torch::nn::Module*>& modules);
  ~FrozenWeights();
  FrozenWeights(const FrozenWeights&) = delete;
  FrozenWeights& operator=(const FrozenWeights&) = delete;

 private:
  std::vector<torch::Tensor> params_;
};

// ConSinGAN's learning rates for scales trained together: generator param group i gets
// lr_g * lr_scale^ages[i] (ages[i]: scales below the newest), every group of `critic` (if any)
// lr_d; all times `decay`.
void set_stage_learning_rates(torch::optim::Adam& generators, const std::vector<int>& ages,
                              double lr_g, double lr_scale, torch::optim::Adam* critic, double lr_d,
                              double decay);

// Copies parameters and buffers between modules of the same architecture.
void copy_weights(const torch::nn::Module& from, torch::nn::Module& to);

// Forward FLOPs (2 per multiply-add) of every Conv2d under `module` on one input of
// height x width, for networks whose convolutions keep the map size (3x3, padding 1, stride 1).
double conv_forward_flops(const torch::nn::Module& module, int height, int width);
// The same for every Conv3d under `module` on one input of frames x height x width.
double conv3d_forward_flops(const torch::nn::Module& module, int frames, int height, int width);

}  // namespace atelier::nn
