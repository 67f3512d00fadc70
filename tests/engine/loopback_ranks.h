// Ranks of a data-parallel world on loopback, one thread each, for the tests of the layers and
// helpers that exchange over the ranks.
#pragma once

#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "atelier/job.h"
#include "core/data_parallel.h"

namespace atelier {

// Runs `work(parallel)` as ranks 0 to world_size - 1 of a loopback world, each on its own thread.
inline void on_ranks(int world_size, const std::function<void(DataParallel&)>& work) {
  const std::string rendezvous = "127.0.0.1:" + std::to_string(free_local_port());
  std::vector<std::thread> ranks;
  for (int rank = 0; rank < world_size; ++rank) {
    ranks.emplace_back([&, rank] {
      DistributedOptions options;
      options.world_size = world_size;
      options.rank = rank;
      options.rendezvous = rendezvous;
      options.timeout_s = 30;
      DataParallel parallel(options);
      work(parallel);
    });
  }
  for (std::thread& t : ranks) t.join();
}

inline void on_two_ranks(const std::function<void(DataParallel&)>& work) {
  on_ranks(2, work);
}

}  // namespace atelier
