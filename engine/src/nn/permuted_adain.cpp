#include "nn/permuted_adain.h"

#include <torch/torch.h>

#include <string>

#include "atelier/error.h"

namespace atelier::nn {

torch::Tensor permuted_adain(const torch::Tensor& x, const torch::Tensor& permutation,
                             double eps) {
  if (x.dim() < 3) {
    throw Error(ErrorKind::Internal, "permuted AdaIN needs N x C x spatial maps, got " +
                                         std::to_string(x.dim()) + " dimensions");
  }
  if (permutation.dim() != 1 || permutation.size(0) != x.size(0)) {
    throw Error(ErrorKind::Internal, "permuted AdaIN: the permutation does not match the batch");
  }
  const auto n = x.size(0);
  const auto c = x.size(1);
  if (x.numel() == 0 || x.numel() / (n * c) <= 1) return x;
  const torch::Tensor flat = x.reshape({n, c, -1});
  const torch::Tensor mean = flat.mean(-1, /*keepdim=*/true);
  const torch::Tensor std = (flat.var(-1, /*unbiased=*/false, /*keepdim=*/true) + eps).sqrt();
  const torch::Tensor index = permutation.to(x.device(), torch::kLong);
  const torch::Tensor target_mean = mean.detach().index_select(0, index);
  const torch::Tensor target_std = std.detach().index_select(0, index);
  return ((flat - mean) / std * target_std + target_mean).reshape(x.sizes());
}

PermutedAdaINImpl::PermutedAdaINImpl(double p, double eps) : p_(p), eps_(eps) { set_p(p); }

void PermutedAdaINImpl::set_p(double p) {
  if (!(p >= 0 && p <= 1)) {
    throw usage_error("permuted AdaIN: the probability p must lie in [0, 1], not " +
                      std::to_string(p));
  }
  p_ = p;
}

torch::Tensor PermutedAdaINImpl::forward(const torch::Tensor& x) {
  if (!is_training() || p_ <= 0 || x.dim() < 3 || x.size(0) < 2) return x;
  if (x.numel() / (x.size(0) * x.size(1)) <= 1) return x;
  if (torch::rand({1}).item<double>() >= p_) return x;
  last_permutation_ = torch::randperm(x.size(0), torch::kLong);
  return permuted_adain(x, last_permutation_, eps_);
}

}  // namespace atelier::nn
