// See sync_batch_norm.h. Per channel, over the M values of the whole batch:
//   mean = S1 / M,  var = S2 / M - mean^2  (biased, for normalising),  y = (x - mean) r w + b
// with S1, S2 the sums of x and x^2 over every process's part and r = 1 / sqrt(var + eps).
// Autograd derives the backward from these operations; the one step it cannot see is the sum
// over the processes. Each process's loss depends on S1 and S2, and S1 and S2 on every process's
// part, so the gradient that reaches S1 and S2 on one process is summed over the processes before
// it flows on into that process's x (a hook on the summed tensor).
#include "nn/sync_batch_norm.h"

#include <ATen/Context.h>
#include <torch/torch.h>

#include <algorithm>
#include <string>

#include "atelier/error.h"

namespace atelier::nn {

SyncBatchNorm2dImpl::SyncBatchNorm2dImpl(std::int64_t features, double eps, double momentum)
    : features_(features), eps_(eps), momentum_(momentum) {
  // BatchNorm2d's parameters and buffers, in its order and with its initial values.
  weight = register_parameter("weight", torch::ones({features}));
  bias = register_parameter("bias", torch::zeros({features}));
  running_mean = register_buffer("running_mean", torch::zeros({features}));
  running_var = register_buffer("running_var", torch::ones({features}));
  num_batches_tracked = register_buffer("num_batches_tracked", torch::zeros({}, torch::kLong));
}

torch::Tensor SyncBatchNorm2dImpl::forward(const torch::Tensor& x) {
  if (x.dim() != 4 || x.size(1) != features_) {
    throw Error(ErrorKind::Internal, "SyncBatchNorm2d of " + std::to_string(features_) +
                                         " channels: expected N x " + std::to_string(features_) +
                                         " x H x W maps");
  }
  if (is_training() && split_) return synchronised(x);
  if (is_training()) {
    torch::NoGradGuard no_grad;
    num_batches_tracked += 1;
  }
  return torch::batch_norm(x, weight, bias, running_mean, running_var, is_training(), momentum_,
                           eps_, at::globalContext().userEnabledCuDNN());
}

torch::Tensor SyncBatchNorm2dImpl::synchronised(const torch::Tensor& x) {
  const std::vector<std::int64_t> dims{0, 2, 3};
  const auto c = features_;
  // This process's S1, S2 and count, in double: the variance comes as a difference of two sums,
  // which float would leave with few digits where the mean is large against the spread.
  const torch::Tensor count =
      torch::full({1}, static_cast<double>(x.numel() / c), x.options().dtype(torch::kDouble));
  const torch::Tensor part = torch::cat(
      {x.sum(dims, false, torch::kDouble), x.square().sum(dims, false, torch::kDouble), count});
  torch::Tensor summed = part.detach().to(torch::kCPU).contiguous().clone();
  split_->sum(summed);
  // The summed value, with `part`'s gradient path (part - part.detach() is exactly zero).
  const torch::Tensor whole = summed.to(x.device()) + (part - part.detach());
  if (whole.requires_grad()) {
    const std::shared_ptr<const BatchSplit> split = split_;
    whole.register_hook([split](const torch::Tensor& grad) {
      torch::Tensor total = grad.to(torch::kCPU).contiguous().clone();
      split->sum(total);
      return total.to(grad.device());
    });
  }
  const double m = summed[2 * c].item<double>();
  if (m <= 1) {
    throw Error(ErrorKind::Internal,
                "SyncBatchNorm2d: training needs more than one value per channel in the batch");
  }
  const torch::Tensor mean = whole.narrow(0, 0, c) / m;
  const torch::Tensor var = (whole.narrow(0, c, c) / m - mean.square()).clamp_min(0);
  const torch::Tensor invstd = (var + eps_).rsqrt();
  {
    torch::NoGradGuard no_grad;
    const auto dtype = running_mean.scalar_type();
    running_mean.mul_(1 - momentum_).add_(mean.detach().to(dtype), momentum_);
    running_var.mul_(1 - momentum_).add_((var.detach() * (m / (m - 1))).to(dtype), momentum_);
    num_batches_tracked += 1;
  }
  const auto per_channel = [&](const torch::Tensor& v) {
    return v.to(x.scalar_type()).view({1, c, 1, 1});
  };
  return (x - per_channel(mean)) * per_channel(invstd * weight) + per_channel(bias);
}

}  // namespace atelier::nn
