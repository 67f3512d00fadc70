// DataParallel's exchanges over ranks on loopback: sums of every type the engine exchanges, and
// the stop vote, equal on every rank to the last bit (the ranks' networks must stay identical)
// and equal to the sum of the ranks' values.
#include <ATen/CPUGeneratorImpl.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <array>
#include <mutex>
#include <string>
#include <vector>

#include "core/data_parallel.h"
#include "loopback_ranks.h"

namespace atelier {
namespace {

#ifdef ATELIER_HAVE_GLOO

// What rank `rank` contributes: values that a sum in another order would round differently.
std::vector<torch::Tensor> values_of(int rank) {
  // A generator of its own: the ranks' threads draw at the same time.
  at::Generator g = at::detail::createCPUGenerator(100 + rank);
  return {torch::randn({1}, g) * 1e3,
          torch::randn({1000}, g) * torch::logspace(-4, 4, 1000),
          torch::randn({3, 33, 1011}, g),  // a gradient bucket's size, not a multiple of 2 or 3
          torch::randn({7}, g, torch::kDouble),
          torch::randint(0, 80, {2, 3, 5}, g, torch::kByte),
          torch::randint(-1000000, 1000000, {9}, g, torch::kLong)};
}

void expect_ranks_sum_alike(int world_size) {
  SCOPED_TRACE(std::to_string(world_size) + " ranks");
  std::mutex mutex;
  std::vector<std::vector<torch::Tensor>> sums(world_size);
  std::vector<std::array<bool, 3>> votes(world_size);
  on_ranks(world_size, [&](DataParallel& parallel) {
    const int rank = parallel.rank();
    std::vector<torch::Tensor> mine;
    for (int round = 0; round < 2; ++round) {  // the second round reuses the first one's rings
      mine = values_of(rank);
      for (const torch::Tensor& t : mine) parallel.sum(t);
    }
    const std::array<bool, 3> vote = {parallel.any(false), parallel.any(rank == world_size - 1),
                                      parallel.any(true)};
    std::lock_guard<std::mutex> lock(mutex);
    sums[rank] = mine;
    votes[rank] = vote;
  });
  // The sum in double, and the sum of magnitudes that bounds a float sum's rounding.
  std::vector<torch::Tensor> want, magnitude;
  std::vector<c10::ScalarType> types;
  for (int rank = 0; rank < world_size; ++rank) {
    const std::vector<torch::Tensor> v = values_of(rank);
    for (std::size_t k = 0; k < v.size(); ++k) {
      const torch::Tensor d = v[k].to(torch::kDouble);
      if (rank == 0) {
        types.push_back(v[k].scalar_type());
        want.push_back(d);
        magnitude.push_back(d.abs());
      } else {
        want[k] = want[k] + d;
        magnitude[k] = magnitude[k] + d.abs();
      }
    }
  }
  for (int rank = 0; rank < world_size; ++rank) {
    SCOPED_TRACE("rank " + std::to_string(rank));
    ASSERT_EQ(sums[rank].size(), want.size());
    for (std::size_t k = 0; k < want.size(); ++k) {
      EXPECT_EQ(sums[rank][k].scalar_type(), types[k]);
      EXPECT_TRUE(torch::equal(sums[rank][k], sums[0][k]))
          << "tensor " << k << " differs from rank 0's";
      const torch::Tensor off = (sums[rank][k].to(torch::kDouble) - want[k]).abs();
      EXPECT_TRUE(off.le(magnitude[k] * 1e-6).all().item<bool>())
          << "tensor " << k << " is not the sum";
    }
    EXPECT_EQ(votes[rank], (std::array<bool, 3>{false, true, true}));
  }
}

TEST(DataParallel, EveryRankGetsTheSameSumToTheLastBit) {
  expect_ranks_sum_alike(2);
  expect_ranks_sum_alike(3);
}

#endif

}  // namespace
}  // namespace atelier
