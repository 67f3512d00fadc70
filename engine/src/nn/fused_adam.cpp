#include "nn/fused_adam.h"

#include <ATen/Dispatch.h>
#include <ATen/Parallel.h>
#include <c10/util/string_utils.h>
#include <torch/csrc/autograd/variable.h>
#include <torch/torch.h>

#include <cmath>
#include <memory>
#include <string>
#include <tuple>

namespace atelier::nn {
namespace {

bool fusable(const torch::Tensor& p, const torch::Tensor& grad) {
  return p.is_cpu() && p.is_contiguous() && grad.is_contiguous() && !grad.is_sparse() &&
         p.scalar_type() == grad.scalar_type() &&
         (p.scalar_type() == torch::kFloat || p.scalar_type() == torch::kDouble);
}

// Adam's update of one parameter, value by value in Adam's own order of operations:
//   g += wd p;  m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
//   p -= step_size m / (sqrt(v) / sqrt(bc2) + eps)
template <typename T>
void update(torch::Tensor& p, const torch::Tensor& grad, torch::Tensor& m, torch::Tensor& v,
            double beta1, double beta2, double weight_decay, double eps, double step_size,
            double bias_correction2) {
  T* pp = p.data_ptr<T>();
  const T* gp = grad.data_ptr<T>();
  T* mp = m.data_ptr<T>();
  T* vp = v.data_ptr<T>();
  const T b1 = static_cast<T>(beta1), one_minus_b1 = static_cast<T>(1 - beta1);
  const T b2 = static_cast<T>(beta2), one_minus_b2 = static_cast<T>(1 - beta2);
  const T wd = static_cast<T>(weight_decay), e = static_cast<T>(eps);
  const T root_bc2 = static_cast<T>(std::sqrt(bias_correction2));
  const T minus_step = static_cast<T>(-step_size);
  at::parallel_for(0, p.numel(), 32768, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      const T g = gp[i] + wd * pp[i];
      mp[i] = mp[i] * b1 + one_minus_b1 * g;
      vp[i] = vp[i] * b2 + one_minus_b2 * g * g;
      pp[i] += minus_step * (mp[i] / (std::sqrt(vp[i]) / root_bc2 + e));
    }
  });
}

}  // namespace

torch::Tensor FusedAdam::step(LossClosure closure) {
  torch::Tensor loss;
  if (closure) {
    at::AutoGradMode enable_grad(true);
    loss = closure();
  }
  // Adam's own step where any parameter cannot take the fused one (the state of each is Adam's,
  // so the two never disagree about what a parameter has seen).
  for (const auto& group : param_groups_) {
    const auto& options = static_cast<const torch::optim::AdamOptions&>(group.options());
    for (const auto& p : group.params()) {
      if (p.grad().defined() && (options.amsgrad() || !fusable(p, p.grad()))) {
        torch::optim::Adam::step();
        return loss;
      }
    }
  }
  torch::NoGradGuard no_grad;
  for (auto& group : param_groups_) {
    const auto& options = static_cast<const torch::optim::AdamOptions&>(group.options());
    // Not a structured binding: the dispatch lambda below uses them (clang 14 refuses that).
    const double beta1 = std::get<0>(options.betas()), beta2 = std::get<1>(options.betas());
    for (auto& p : group.params()) {
      if (!p.grad().defined()) continue;
      const std::string key = c10::guts::to_string(p.unsafeGetTensorImpl());
      auto found = state_.find(key);
      if (found == state_.end()) {
        auto state = std::make_unique<torch::optim::AdamParamState>();
        state->step(0);
        state->exp_avg(torch::zeros_like(p, torch::MemoryFormat::Preserve));
        state->exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Preserve));
        found = state_.emplace(key, std::move(state)).first;
      }
      auto& state = static_cast<torch::optim::AdamParamState&>(*found->second);
      state.step(state.step() + 1);
      const double bias_correction1 = 1 - std::pow(beta1, state.step());
      const double bias_correction2 = 1 - std::pow(beta2, state.step());
      const double step_size = options.lr() / bias_correction1;
      torch::Tensor& m = state.exp_avg();
      torch::Tensor& v = state.exp_avg_sq();
      if (!m.is_contiguous() || !v.is_contiguous()) {  // a loaded state in another layout
        m = m.contiguous();
        v = v.contiguous();
      }
      AT_DISPATCH_FLOATING_TYPES(p.scalar_type(), "fused_adam", [&] {
        update<scalar_t>(p, p.grad(), m, v, beta1, beta2, options.weight_decay(), options.eps(),
                         step_size, bias_correction2);
      });
      // As an in-place operation would: a graph that saved the old values then refuses to run.
      torch::autograd::impl::bump_version(p);
    }
  }
  return loss;
}

}  // namespace atelier::nn
