// See sync_batch_norm.h. Per channel, over the M values of the whole batch, from each process's
// count n_p, mean m_p and biased variance v_p:
//   mean = sum(n_p m_p) / M,  var = sum(n_p (v_p + m_p^2)) / M - mean^2,  y = (x - mean) r w + b
// with r = 1 / sqrt(var + eps). Backward, with xhat = (x - mean) r and the sums over the whole
// batch:  dx = w r (dy - sum(dy) / M - xhat sum(dy xhat) / M),  dw and db this process's sums
// (the training sums the parameters' gradients over the processes, as every parameter's).
#include "nn/sync_batch_norm.h"

#include <ATen/Context.h>
#include <torch/torch.h>

#include <memory>
#include <string>
#include <utility>

#include "atelier/error.h"

namespace atelier::nn {

namespace {

// The split, carried through autograd's saved data to the backward.
struct SplitHolder : torch::CustomClassHolder {
  explicit SplitHolder(std::shared_ptr<const BatchSplit> s) : split(std::move(s)) {}
  std::shared_ptr<const BatchSplit> split;
};

const BatchSplit& split_of(const c10::IValue& capsule) {
  return *static_cast<const SplitHolder*>(capsule.toCapsule().get())->split;
}

// Values per channel in the whole batch (every sample has the same map size).
double values_per_channel(const BatchSplit& split, const torch::Tensor& x) {
  const double m = static_cast<double>(split.batch * x.size(2) * x.size(3));
  if (m <= 1) {
    throw Error(ErrorKind::Internal,
                "SyncBatchNorm2d: training needs more than one value per channel in the batch");
  }
  return m;
}

// Adds `t` over the processes (on the CPU, where the exchanges run).
torch::Tensor summed(const BatchSplit& split, const torch::Tensor& t) {
  torch::Tensor total = t.to(torch::kCPU).contiguous().clone();
  split.sum(total);
  return total.to(t.device());
}

// Training-mode batch normalisation of a split batch, once differentiable. Each process's part
// goes through LibTorch's own kernels (its statistics; the normalisation as in eval mode with
// the whole batch's statistics; the gradient's per-channel sums), so the only extra work is one
// exchange each way: forward the parts' means and variances weighted by their counts, backward
// the sums of the output gradient and of its product with the normalised input.
// Outputs: y, and the whole batch's mean and biased variance (for the running statistics).
struct SynchronisedBatchNorm : torch::autograd::Function<SynchronisedBatchNorm> {
  static torch::autograd::variable_list forward(torch::autograd::AutogradContext* ctx,
                                                const torch::Tensor& x, const torch::Tensor& weight,
                                                const torch::Tensor& bias,
                                                const c10::IValue& split_capsule, double eps) {
    const BatchSplit& split = split_of(split_capsule);
    const auto c = x.size(1);
    const double m = values_per_channel(split, x);
    // This part's mean and biased variance per channel, then the whole batch's from every
    // part's n mean, n var and n mean^2 (in double: the whole variance is the parts' plus the
    // spread of their means, a difference of sums).
    const auto [part_mean, part_var] = torch::batch_norm_update_stats(x, {}, {}, 0);
    const double n = static_cast<double>(x.numel() / c);
    const torch::Tensor mean_d = part_mean.to(torch::kDouble);
    const torch::Tensor sums = summed(
        split, torch::cat({mean_d * n, part_var.to(torch::kDouble) * n, mean_d.square() * n}));
    const torch::Tensor mean = sums.narrow(0, 0, c) / m;
    const torch::Tensor var =
        ((sums.narrow(0, c, c) + sums.narrow(0, 2 * c, c)) / m - mean.square()).clamp_min(0);
    const torch::Tensor mean_x = mean.to(x.scalar_type()), var_x = var.to(x.scalar_type());
    const torch::Tensor y = torch::batch_norm(x, weight, bias, mean_x, var_x, /*training=*/false, 0,
                                              eps, /*cudnn_enabled=*/false);
    ctx->save_for_backward({x, weight, mean_x, var_x});
    ctx->saved_data["split"] = split_capsule;
    ctx->saved_data["eps"] = eps;
    ctx->mark_non_differentiable({mean, var});
    return {y, mean, var};
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const torch::Tensor &x = saved[0], &weight = saved[1], &mean = saved[2], &var = saved[3];
    const BatchSplit& split = split_of(ctx->saved_data["split"]);
    const double eps = ctx->saved_data["eps"].toDouble();
    const double m = values_per_channel(split, x);
    const torch::Tensor dy = grads[0].contiguous();
    // This part's sums of dy and of dy times the normalised input: eval mode's parameter
    // gradients with the whole batch's statistics.
    const auto [unused, dy_xhat, sum_dy] = torch::native_batch_norm_backward(
        dy, x, weight, mean, var, {}, {}, /*train=*/false, eps, {false, true, true});
    const auto c = x.size(1);
    const torch::Tensor whole = summed(split, torch::cat({sum_dy, dy_xhat}));
    // dx = w invstd (dy - sum(dy) / m - xhat sum(dy xhat) / m), as a dy + b x + k per channel.
    const torch::Tensor invstd = (var + eps).rsqrt();
    const torch::Tensor a = weight * invstd;
    const torch::Tensor b = -a * invstd * whole.narrow(0, c, c) / m;
    const torch::Tensor k = -a * whole.narrow(0, 0, c) / m - b * mean;
    const auto per_channel = [&](const torch::Tensor& v) { return v.view({1, c, 1, 1}); };
    torch::Tensor dx = x * per_channel(b);
    dx.add_(per_channel(k)).addcmul_(dy, per_channel(a));
    return {dx, dy_xhat, sum_dy, torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

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
  const torch::autograd::variable_list out = SynchronisedBatchNorm::apply(
      x, weight, bias, c10::IValue::make_capsule(c10::make_intrusive<SplitHolder>(split_)), eps_);
  const torch::Tensor& mean = out[1];
  const torch::Tensor& var = out[2];
  const double m = values_per_channel(*split_, x);
  torch::NoGradGuard no_grad;
  const auto dtype = running_mean.scalar_type();
  running_mean.mul_(1 - momentum_).add_(mean.to(dtype), momentum_);
  running_var.mul_(1 - momentum_).add_((var * (m / (m - 1))).to(dtype), momentum_);
  num_batches_tracked += 1;
  return out[0];
}

}  // namespace atelier::nn
