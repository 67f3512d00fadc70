#include "nn/permuted_adain.h"

#include <torch/torch.h>

#include <string>

#include "atelier/error.h"

namespace atelier::nn {

namespace {

void check_shapes(const torch::Tensor& x, const torch::Tensor& permutation, std::int64_t batch) {
  if (x.dim() < 3) {
    throw Error(ErrorKind::Internal, "permuted AdaIN needs N x C x spatial maps, got " +
                                         std::to_string(x.dim()) + " dimensions");
  }
  if (permutation.dim() != 1 || permutation.size(0) != batch) {
    throw Error(ErrorKind::Internal, "permuted AdaIN: the permutation does not match the batch");
  }
}

// Values per map (the spatial size), whatever the batch size.
std::int64_t map_size(const torch::Tensor& x) {
  std::int64_t size = 1;
  for (std::int64_t d = 2; d < x.dim(); ++d) size *= x.size(d);
  return size;
}

// x normalised per sample and channel, given the target statistics of each sample (N x C x 1).
struct MapStatistics {
  torch::Tensor flat, mean, std;  // N x C x values, N x C x 1, N x C x 1
};

MapStatistics statistics_of(const torch::Tensor& x, double eps) {
  MapStatistics s;
  s.flat = x.reshape({x.size(0), x.size(1), -1});
  s.mean = s.flat.mean(-1, /*keepdim=*/true);
  s.std = (s.flat.var(-1, /*unbiased=*/false, /*keepdim=*/true) + eps).sqrt();
  return s;
}

torch::Tensor restyled(const torch::Tensor& x, const MapStatistics& s,
                       const torch::Tensor& target_mean, const torch::Tensor& target_std) {
  return ((s.flat - s.mean) / s.std * target_std + target_mean).reshape(x.sizes());
}

}  // namespace

torch::Tensor permuted_adain(const torch::Tensor& x, const torch::Tensor& permutation, double eps) {
  check_shapes(x, permutation, x.size(0));
  if (x.numel() == 0 || map_size(x) <= 1) return x;
  const MapStatistics s = statistics_of(x, eps);
  const torch::Tensor index = permutation.to(x.device(), torch::kLong);
  return restyled(x, s, s.mean.detach().index_select(0, index),
                  s.std.detach().index_select(0, index));
}

torch::Tensor permuted_adain(const torch::Tensor& x, const torch::Tensor& permutation,
                             const BatchSplit& split, double eps) {
  check_shapes(x, permutation, split.batch);
  if (split.own_positions.size(0) != x.size(0)) {
    throw Error(ErrorKind::Internal,
                "permuted AdaIN: this process's part does not match its split");
  }
  if (map_size(x) <= 1) return x;
  const MapStatistics s = statistics_of(x, eps);
  // Every process puts its samples' statistics at their places of the whole batch; the sum gives
  // each process the statistics of the whole batch, from which it takes its samples' partners'.
  const auto c = x.size(1);
  torch::Tensor whole = torch::zeros({split.batch, 2, c}, x.options().device(torch::kCPU));
  whole.index_copy_(0, split.own_positions,
                    torch::cat({s.mean, s.std}, -1).detach().transpose(1, 2).to(torch::kCPU));
  split.sum(whole);
  const torch::Tensor partners = permutation.to(torch::kLong).index_select(0, split.own_positions);
  const torch::Tensor target = whole.index_select(0, partners).to(x.device());
  return restyled(x, s, target.select(1, 0).unsqueeze(-1), target.select(1, 1).unsqueeze(-1));
}

PermutedAdaINImpl::PermutedAdaINImpl(double p, double eps) : p_(p), eps_(eps) {
  set_p(p);
}

void PermutedAdaINImpl::set_p(double p) {
  if (!(p >= 0 && p <= 1)) {
    throw usage_error("permuted AdaIN: the probability p must lie in [0, 1], not " +
                      std::to_string(p));
  }
  p_ = p;
}

torch::Tensor PermutedAdaINImpl::forward(const torch::Tensor& x) {
  // Every process of a split batch takes the same decisions from the same random numbers.
  const std::int64_t batch = split_ ? split_->batch : x.size(0);
  if (!is_training() || p_ <= 0 || x.dim() < 3 || batch < 2) return x;
  if (map_size(x) <= 1) return x;
  if (torch::rand({1}).item<double>() >= p_) return x;
  last_permutation_ = torch::randperm(batch, torch::kLong);
  return split_ ? permuted_adain(x, last_permutation_, *split_, eps_)
                : permuted_adain(x, last_permutation_, eps_);
}

}  // namespace atelier::nn
