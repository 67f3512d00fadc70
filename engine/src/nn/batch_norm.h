// BatchNorm in training mode with a second derivative that costs two passes over the data.
//
// The critics' gradient penalty differentiates the critic's input gradient again. LibTorch 1.13
// builds BatchNorm's second derivative out of about thirty whole-tensor operations
// (batchnorm_double_backward), which made it the largest cost of a single-image training step
// after the convolutions. Here the first derivative is LibTorch's fused kernel and the second is
// one pass for five per-channel sums and one pass for the results (CPU; other devices use the same
// formulas as tensor operations). Same mathematics as torch::nn::BatchNorm: batch statistics,
// running statistics updated with the module's momentum, the biased variance for normalising.
#pragma once

#include <torch/nn/modules/batchnorm.h>
#include <torch/types.h>

namespace atelier::nn {

// `norm` must be in training mode with affine weights and running statistics (the defaults of
// BatchNorm2d and BatchNorm3d).
torch::Tensor batch_norm_train(const torch::Tensor& x, torch::nn::BatchNorm2dImpl& norm);
torch::Tensor batch_norm_train(const torch::Tensor& x, torch::nn::BatchNorm3dImpl& norm);

// The same for a batch whose pictures are each a training batch of one (the SinGAN family trains
// on one picture; a step runs its sample and its reconstruction as one batch to use the CPU
// better): every picture is normalised by its own statistics, and the running statistics are
// updated as that many batch-1 passes in a row would update them. Same derivatives. The result
// holds the N pictures side by side as the channels of one, 1 x NC x H x W (for an activation in
// place; then view it as x's shape).
torch::Tensor batch_norm_per_picture(const torch::Tensor& x, torch::nn::BatchNorm2dImpl& norm);

// Outside training, for networks trained on batches of one picture or clip (or per picture):
// each one normalised by its own statistics with `norm`'s weights, i.e. what the network met in
// training. BatchNorm's running statistics average samples, reconstructions and translations
// unlike the picture at hand. Neither reads nor changes the running statistics (safe beside a
// renderer thread).
torch::Tensor norm_by_own_statistics(const torch::Tensor& x,
                                     const torch::nn::BatchNorm2dImpl& norm);
torch::Tensor norm_by_own_statistics(const torch::Tensor& x,
                                     const torch::nn::BatchNorm3dImpl& norm);

// While one exists, the second derivative uses its tensor-operation form (what GPUs run) on the
// CPU too, so that tests check both forms against LibTorch.
class SecondDerivativeByTensorOps {
 public:
  SecondDerivativeByTensorOps();
  ~SecondDerivativeByTensorOps();
  SecondDerivativeByTensorOps(const SecondDerivativeByTensorOps&) = delete;
  SecondDerivativeByTensorOps& operator=(const SecondDerivativeByTensorOps&) = delete;
};

}  // namespace atelier::nn
