// See batch_norm.h. Notation per channel, over its M values: xhat = (x - mean) * r with
// r = 1 / sqrt(var + eps); the first derivative takes g = dL/dy to
//   gx = w r (g - mean(g) - xhat mean(g xhat)),  gw = sum(g xhat),  gb = sum(g).
// Its derivative, given a = dL/dgx, alpha = dL/dgw and beta = dL/dgb (the gradient penalty only
// gives a), with G = mean(g), Gx = mean(g xhat), A = mean(a), Ax = mean(a xhat), AG = mean(a g):
//   dL/dg = w r (a - A - xhat Ax) + alpha xhat + beta
//   dL/dx = r (-w r xhat (AG - G A - 3 Gx Ax) - w r (Ax (g - G) + Gx (a - A))
//              + alpha (g - G - xhat Gx))
//   dL/dw = r M (AG - G A - Ax Gx)
#include "nn/batch_norm.h"

#include <ATen/Dispatch.h>
#include <ATen/Parallel.h>
#include <torch/autograd.h>

#include <atomic>
#include <vector>

namespace atelier::nn {
namespace {

std::atomic<int> by_tensor_ops{0};  // SecondDerivativeByTensorOps objects alive

using torch::Tensor;
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

struct SecondDerivative {
  Tensor grad_g, grad_x, grad_w;
};

// Shape {1, C, 1, ...} of x's rank, so per-channel values broadcast over x.
Tensor per_channel(const Tensor& v, const Tensor& x) {
  std::vector<std::int64_t> shape(x.dim(), 1);
  shape[1] = v.size(0);
  return v.view(shape);
}

// Any device: the formulas above as tensor operations.
SecondDerivative second_derivative_by_ops(const Tensor& g, const Tensor& x, const Tensor& w,
                                          const Tensor& mean, const Tensor& invstd, const Tensor& a,
                                          const Tensor& alpha, const Tensor& beta) {
  std::vector<std::int64_t> dims{0};
  for (std::int64_t d = 2; d < x.dim(); ++d) dims.push_back(d);
  const double m = static_cast<double>(x.numel() / x.size(1));
  const auto avg = [&](const Tensor& t) { return t.sum(dims, /*keepdim=*/true) / m; };
  const Tensor r = per_channel(invstd, x), wr = per_channel(w, x) * r;
  const Tensor xhat = (x - per_channel(mean, x)) * r;
  const Tensor G = avg(g), Gx = avg(g * xhat), A = avg(a), Ax = avg(a * xhat), AG = avg(a * g);
  const Tensor al = per_channel(alpha, x), be = per_channel(beta, x);
  SecondDerivative d;
  d.grad_g = wr * (a - A - xhat * Ax) + al * xhat + be;
  d.grad_x = r * (-wr * xhat * (AG - G * A - 3 * Gx * Ax) - wr * (Ax * (g - G) + Gx * (a - A)) +
                  al * (g - G - xhat * Gx));
  d.grad_w = (r * m * (AG - G * A - Ax * Gx)).flatten();
  return d;
}

// CPU, contiguous: one pass for the five sums of a channel, one for its two results.
template <typename T>
void second_derivative_cpu(const Tensor& g, const Tensor& x, const Tensor& w, const Tensor& mean,
                           const Tensor& invstd, const Tensor& a, const Tensor& alpha,
                           const Tensor& beta, SecondDerivative& d) {
  const std::int64_t n_batch = x.size(0), channels = x.size(1);
  const std::int64_t spread = x.numel() / (n_batch * channels);  // values per sample and channel
  const double m = static_cast<double>(n_batch * spread);
  const T* gp = g.data_ptr<T>();
  const T* xp = x.data_ptr<T>();
  const T* ap = a.data_ptr<T>();
  const T* wp = w.data_ptr<T>();
  const T* mp = mean.data_ptr<T>();
  const T* rp = invstd.data_ptr<T>();
  const T* alp = alpha.data_ptr<T>();
  const T* bep = beta.data_ptr<T>();
  T* out_g = d.grad_g.data_ptr<T>();
  T* out_x = d.grad_x.data_ptr<T>();
  T* out_w = d.grad_w.data_ptr<T>();
  at::parallel_for(0, channels, 1, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t c = begin; c < end; ++c) {
      const double mu = mp[c], r = rp[c];
      double sg = 0, sgx = 0, sa = 0, sax = 0, sag = 0;
      for (std::int64_t n = 0; n < n_batch; ++n) {
        const std::int64_t base = (n * channels + c) * spread;
        for (std::int64_t i = base; i < base + spread; ++i) {
          const double xh = (xp[i] - mu) * r, gi = gp[i], ai = ap[i];
          sg += gi;
          sgx += gi * xh;
          sa += ai;
          sax += ai * xh;
          sag += ai * gi;
        }
      }
      const double G = sg / m, Gx = sgx / m, A = sa / m, Ax = sax / m, AG = sag / m;
      const double wr = double(wp[c]) * r, al = alp[c], be = bep[c];
      const double x_term = -wr * (AG - G * A - 3 * Gx * Ax);
      out_w[c] = static_cast<T>(r * m * (AG - G * A - Ax * Gx));
      for (std::int64_t n = 0; n < n_batch; ++n) {
        const std::int64_t base = (n * channels + c) * spread;
        for (std::int64_t i = base; i < base + spread; ++i) {
          const double xh = (xp[i] - mu) * r, gi = gp[i], ai = ap[i];
          out_g[i] = static_cast<T>(wr * (ai - A - xh * Ax) + al * xh + be);
          out_x[i] = static_cast<T>(
              r * (x_term * xh - wr * (Ax * (gi - G) + Gx * (ai - A)) + al * (gi - G - xh * Gx)));
        }
      }
    }
  });
}

SecondDerivative second_derivative(const Tensor& g, const Tensor& x, const Tensor& w,
                                   const Tensor& mean, const Tensor& invstd, const Tensor& a,
                                   const Tensor& alpha, const Tensor& beta) {
  if (!x.is_cpu() || by_tensor_ops > 0) {
    return second_derivative_by_ops(g, x, w, mean, invstd, a, alpha, beta);
  }
  SecondDerivative d{torch::empty_like(g), torch::empty_like(x), torch::empty_like(w)};
  const Tensor wc = w.contiguous(), mc = mean.contiguous(), rc = invstd.contiguous();
  const Tensor alc = alpha.contiguous(), bec = beta.contiguous();
  AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "batch_norm_second_derivative", [&] {
    second_derivative_cpu<scalar_t>(g, x, wc, mc, rc, a, alc, bec, d);
  });
  return d;
}

// BatchNorm's first derivative as a function of (g, x, w) that can be differentiated again.
struct BatchNormBackward : torch::autograd::Function<BatchNormBackward> {
  static variable_list forward(AutogradContext* ctx, const Tensor& g, const Tensor& x,
                               const Tensor& w, const Tensor& mean, const Tensor& invstd,
                               double eps) {
    auto [gx, gw, gb] = at::native_batch_norm_backward(g, x, w, {}, {}, mean, invstd,
                                                       /*train=*/true, eps, {true, true, true});
    ctx->save_for_backward({g, x, w, mean, invstd});
    return {gx, gw, gb};
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const variable_list s = ctx->get_saved_variables();
    const Tensor& x = s[1];
    const Tensor a = grads[0].contiguous();
    const SecondDerivative d =
        second_derivative(s[0].contiguous(), x.contiguous(), s[2], s[3], s[4], a,
                          grads[1].to(x.scalar_type()), grads[2].to(x.scalar_type()));
    return {d.grad_g, d.grad_x, d.grad_w, Tensor(), Tensor(), Tensor()};
  }
};

struct BatchNormTrain : torch::autograd::Function<BatchNormTrain> {
  static Tensor forward(AutogradContext* ctx, const Tensor& x, const Tensor& w, const Tensor& b,
                        const Tensor& running_mean, const Tensor& running_var, double momentum,
                        double eps) {
    auto [y, mean, invstd] = at::native_batch_norm(x, w, b, running_mean, running_var,
                                                   /*training=*/true, momentum, eps);
    ctx->save_for_backward({x, w, mean, invstd});
    ctx->saved_data["eps"] = eps;
    return y;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const variable_list s = ctx->get_saved_variables();
    const variable_list g = BatchNormBackward::apply(grads[0], s[0], s[1], s[2], s[3],
                                                     ctx->saved_data["eps"].toDouble());
    return {g[0], g[1], g[2], Tensor(), Tensor(), Tensor(), Tensor()};
  }
};

template <typename Norm>
void require_trainable(const Norm& norm) {
  const auto& o = norm.options;
  TORCH_CHECK(norm.is_training() && o.affine() && o.track_running_stats(),
              "batch_norm_train: a BatchNorm in training mode with weights and running statistics");
}

// Counts one more batch and returns the momentum its running statistics are updated with.
template <typename Norm>
double count_batch(Norm& norm) {
  torch::NoGradGuard no_grad;
  norm.num_batches_tracked += 1;
  const auto& o = norm.options;
  return o.momentum().has_value() ? *o.momentum()
                                  : 1.0 / norm.num_batches_tracked.template item<double>();
}

template <typename Norm>
Tensor train_forward(const Tensor& x, Norm& norm) {
  require_trainable(norm);
  const double momentum = count_batch(norm);
  return BatchNormTrain::apply(x, norm.weight, norm.bias, norm.running_mean, norm.running_var,
                               momentum, norm.options.eps());
}

}  // namespace

Tensor batch_norm_train(const Tensor& x, torch::nn::BatchNorm2dImpl& norm) {
  return train_forward(x, norm);
}

Tensor batch_norm_train(const Tensor& x, torch::nn::BatchNorm3dImpl& norm) {
  return train_forward(x, norm);
}

// The N pictures' channels as N x C channels of one picture, so that LibTorch's kernels take
// each picture's statistics; they land in buffers of N x C (momentum 1: the buffer becomes the
// statistic) and are folded into the running statistics one picture after the other.
Tensor batch_norm_per_picture(const Tensor& x, torch::nn::BatchNorm2dImpl& norm) {
  const std::int64_t pictures = x.size(0);
  if (pictures == 1) return train_forward(x, norm);
  require_trainable(norm);
  std::vector<std::int64_t> flat = x.sizes().vec();
  flat[1] *= pictures;
  flat[0] = 1;
  const std::int64_t channels = x.size(1);
  const Tensor means = torch::zeros({pictures * channels}, norm.running_mean.options());
  const Tensor variances = torch::zeros({pictures * channels}, norm.running_var.options());
  const Tensor y = BatchNormTrain::apply(x.reshape(flat), norm.weight.repeat({pictures}),
                                         norm.bias.repeat({pictures}), means, variances,
                                         /*momentum=*/1.0, norm.options.eps());
  for (std::int64_t i = 0; i < pictures; ++i) {
    const double momentum = count_batch(norm);
    torch::NoGradGuard no_grad;
    norm.running_mean.mul_(1 - momentum).add_(means.narrow(0, i * channels, channels), momentum);
    norm.running_var.mul_(1 - momentum).add_(variances.narrow(0, i * channels, channels), momentum);
  }
  return y;
}

namespace {
template <typename Norm>
Tensor own_statistics(const Tensor& x, const Norm& norm) {
  return torch::instance_norm(x, norm.weight, norm.bias, /*running_mean=*/{}, /*running_var=*/{},
                              /*use_input_stats=*/true, /*momentum=*/0.0, norm.options.eps(),
                              /*cudnn_enabled=*/true);
}
}  // namespace

Tensor norm_by_own_statistics(const Tensor& x, const torch::nn::BatchNorm2dImpl& norm) {
  return own_statistics(x, norm);
}

Tensor norm_by_own_statistics(const Tensor& x, const torch::nn::BatchNorm3dImpl& norm) {
  return own_statistics(x, norm);
}

SecondDerivativeByTensorOps::SecondDerivativeByTensorOps() {
  ++by_tensor_ops;
}

SecondDerivativeByTensorOps::~SecondDerivativeByTensorOps() {
  --by_tensor_ops;
}

}  // namespace atelier::nn
