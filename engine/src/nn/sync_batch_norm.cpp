// See sync_batch_norm.h. Per channel, over the M values of the whole batch, from each process's
// count n_p, mean m_p and biased variance v_p:
//   mean = sum(n_p m_p) / M,  var = sum(n_p (v_p + m_p^2)) / M - mean^2,  y = (x - mean) r w + b
// with r = 1 / sqrt(var + eps). Backward, with xhat = (x - mean) r and the sums over the whole
// batch:  dx = w r (dy - sum(dy) / M - xhat sum(dy xhat) / M),  dw and db this process's sums
// (the training sums the parameters' gradients over the processes, as every parameter's).
//
// The per-channel arithmetic between the exchanges is a few dozen numbers, done in plain loops on
// the CPU (where the exchanges run anyway): as tensor operations it was about 25 small LibTorch
// calls a layer, which made the padain classifier's step 10 % slower with a split than without.
#include "nn/sync_batch_norm.h"

#include <ATen/Context.h>
#include <ATen/Dispatch.h>
#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
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

// `rows` (each C values, any device and floating type) as one contiguous K x C double tensor on
// the CPU, the form in which the per-channel arithmetic and the exchanges take them.
torch::Tensor on_cpu_in_double(std::initializer_list<torch::Tensor> rows) {
  return torch::stack(rows).to(torch::kCPU, torch::kDouble).contiguous();
}

// The whole batch's mean, biased variance and unbiased variance per channel (rows 0, 1, 2 of a
// 3 x C double tensor on the CPU), from this part's statistics and one exchange.
torch::Tensor whole_batch_statistics(const BatchSplit& split, const torch::Tensor& x) {
  const auto c = x.size(1);
  const double m = values_per_channel(split, x);
  const double n = static_cast<double>(x.numel() / c);
  const auto [part_mean, part_var] = torch::batch_norm_update_stats(x, {}, {}, 0);
  const torch::Tensor part = on_cpu_in_double({part_mean, part_var});
  // In double: the whole variance is the parts' plus the spread of their means, a difference of
  // sums.
  torch::Tensor sums = torch::empty({3, c}, torch::kDouble);
  const double* mean_p = part.data_ptr<double>();
  const double* var_p = mean_p + c;
  double* s = sums.data_ptr<double>();
  for (std::int64_t j = 0; j < c; ++j) {
    s[j] = n * mean_p[j];
    s[c + j] = n * var_p[j];
    s[2 * c + j] = n * mean_p[j] * mean_p[j];
  }
  split.sum(sums);
  torch::Tensor stats = torch::empty({3, c}, torch::kDouble);
  double* out = stats.data_ptr<double>();
  for (std::int64_t j = 0; j < c; ++j) {
    const double mean = s[j] / m;
    const double var = std::max(0.0, (s[c + j] + s[2 * c + j]) / m - mean * mean);
    out[j] = mean;
    out[c + j] = var;
    out[2 * c + j] = var * (m / (m - 1));
  }
  return stats;
}

// dx = a dy + b x + k per channel, in one pass over contiguous CPU maps; coefficients: 3 x C
// doubles (rows a, b, k).
template <typename T>
void affine_of_two(const torch::Tensor& dy, const torch::Tensor& x, const torch::Tensor& coeff,
                   torch::Tensor& dx) {
  const std::int64_t c = x.size(1), plane = x.size(2) * x.size(3);
  const T* g = dy.data_ptr<T>();
  const T* v = x.data_ptr<T>();
  T* out = dx.data_ptr<T>();
  const double* k3 = coeff.data_ptr<double>();
  at::parallel_for(0, x.size(0) * c, std::max<std::int64_t>(1, 16384 / plane),
                   [&](auto lo, auto hi) {
                     for (std::int64_t p = lo; p < hi; ++p) {
                       const std::int64_t j = p % c;
                       const T a = static_cast<T>(k3[j]), b = static_cast<T>(k3[c + j]),
                               k = static_cast<T>(k3[2 * c + j]);
                       const std::int64_t start = p * plane;
                       for (std::int64_t i = start; i < start + plane; ++i)
                         out[i] = a * g[i] + b * v[i] + k;
                     }
                   });
}

// Training-mode batch normalisation of a split batch with the whole batch's statistics (given),
// once differentiable. Forward it is eval mode's kernel with those statistics; backward each
// process's sums of the output gradient and of its product with the normalised input are added
// over the processes (one exchange), and give the input gradient.
struct SynchronisedBatchNorm : torch::autograd::Function<SynchronisedBatchNorm> {
  // stats: whole_batch_statistics' 3 x C doubles on the CPU.
  static torch::autograd::variable_list forward(torch::autograd::AutogradContext* ctx,
                                                const torch::Tensor& x, const torch::Tensor& weight,
                                                const torch::Tensor& bias,
                                                const torch::Tensor& stats,
                                                const c10::IValue& split_capsule, double eps) {
    const torch::Tensor on_device = stats.narrow(0, 0, 2).to(x.options());
    const torch::Tensor mean = on_device[0], var = on_device[1];
    const torch::Tensor y = torch::batch_norm(x, weight, bias, mean, var, /*training=*/false, 0,
                                              eps, /*cudnn_enabled=*/false);
    ctx->save_for_backward({x, weight, mean, var});
    ctx->saved_data["stats"] = stats;
    ctx->saved_data["split"] = split_capsule;
    ctx->saved_data["eps"] = eps;
    return {y};
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const torch::Tensor &x = saved[0], &weight = saved[1], &mean = saved[2], &var = saved[3];
    const torch::Tensor stats = ctx->saved_data["stats"].toTensor();
    const BatchSplit& split = split_of(ctx->saved_data["split"]);
    const double eps = ctx->saved_data["eps"].toDouble();
    const double m = values_per_channel(split, x);
    const auto c = x.size(1);
    const torch::Tensor dy = grads[0].contiguous();
    // This part's sums of dy and of dy times the normalised input: eval mode's parameter
    // gradients with the whole batch's statistics.
    const auto [unused, dy_xhat, sum_dy] = torch::native_batch_norm_backward(
        dy, x, weight, mean, var, {}, {}, /*train=*/false, eps, {false, true, true});
    // Rows: the whole batch's sum(dy) and sum(dy xhat) once summed, then the weight.
    const torch::Tensor sums = on_cpu_in_double({sum_dy, dy_xhat, weight});
    split.sum(sums.narrow(0, 0, 2));
    // dx = w invstd (dy - sum(dy) / m - xhat sum(dy xhat) / m), as a dy + b x + k per channel.
    torch::Tensor coeff = torch::empty({3, c}, torch::kDouble);
    const double* w = sums.data_ptr<double>();
    const double* st = stats.data_ptr<double>();
    double* k3 = coeff.data_ptr<double>();
    for (std::int64_t j = 0; j < c; ++j) {
      const double invstd = 1 / std::sqrt(st[c + j] + eps);
      const double a = w[2 * c + j] * invstd;
      const double b = -a * invstd * w[c + j] / m;
      k3[j] = a;
      k3[c + j] = b;
      k3[2 * c + j] = -a * w[j] / m - b * st[j];
    }
    torch::Tensor dx;
    if (x.is_cpu() && x.is_contiguous()) {
      dx = torch::empty_like(x, at::MemoryFormat::Contiguous);
      AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "sync_batch_norm_backward",
                                 [&] { affine_of_two<scalar_t>(dy, x, coeff, dx); });
    } else {
      const torch::Tensor per_channel = coeff.to(x.options()).view({3, 1, c, 1, 1});
      dx = x * per_channel[1];
      dx.add_(per_channel[2]).addcmul_(dy, per_channel[0]);
    }
    return {dx, dy_xhat, sum_dy, torch::Tensor(), torch::Tensor(), torch::Tensor()};
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
  torch::Tensor stats;
  {
    torch::NoGradGuard no_grad;
    stats = whole_batch_statistics(*split_, x.detach());
    const torch::Tensor running = stats.to(running_mean.options());
    running_mean.lerp_(running[0], momentum_);
    running_var.lerp_(running[2], momentum_);
    num_batches_tracked += 1;
  }
  return SynchronisedBatchNorm::apply(
      x, weight, bias, stats, c10::IValue::make_capsule(c10::make_intrusive<SplitHolder>(split_)),
      eps_)[0];
}

}  // namespace atelier::nn
