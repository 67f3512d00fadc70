// atelier/job.h — the contract of every long operation: params in, progress and previews out,
// and a way to stop. Front ends (CLI, GUI workers) implement the callbacks; all are optional.
//
// Callbacks run on the thread that runs the job. They must return quickly; a GUI forwards them to
// its own thread with a queued signal.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "atelier/compute.h"
#include "atelier/image.h"

namespace atelier {

struct Progress {
  std::string phase;  // "train", "generate", "encode", ... or a method's own phase name
  int scale = 0;      // 1-based index of the current scale / level; 0 when the job has none
  int scales = 0;
  std::int64_t step = 0;  // steps done in this phase (of this scale when it has scales)
  std::int64_t steps = 0;
  std::vector<std::pair<std::string, double>> losses;  // latest named losses
  double elapsed_s = 0;                                // since the job started
  double eta_s = -1;  // estimated seconds left for the whole job; < 0 when unknown
};

struct Callbacks {
  std::function<void(const Progress&)> on_progress;
  std::function<void(const Image&)> on_preview;
  std::function<bool()> should_stop;  // polled between steps; true ends the job cleanly

  void progress(const Progress& p) const {
    if (on_progress) on_progress(p);
  }
  void preview(const Image& image) const {
    if (on_preview) on_preview(image);
  }
  bool stop_requested() const { return should_stop && should_stop(); }
};

// Data-parallel training over several processes, on one machine or many (LibTorch's c10d): each
// rank trains on its own shard of the data, the gradients are summed every step, and only rank 0
// writes the model file and reports progress. The methods that train on a folder take it.
struct DistributedOptions {
  int world_size = 1;      // processes in the training; 1: this one alone
  int rank = 0;            // this process: 0 .. world_size - 1
  std::string rendezvous;  // HOST:PORT where rank 0 listens (needed when world_size > 1)
  double timeout_s = 300;  // for the ranks to meet, and for any one exchange between them
  int local_rank = 0;      // this process's place among the ranks of its machine (its GPU)
  bool active() const { return world_size > 1; }
};
// Error(BadInput) naming the value: a world size below 1, a rank outside the world, a
// rendezvous that is not HOST:PORT when world_size > 1, a timeout that is not positive.
void check_distributed_options(const DistributedOptions& options);
// A TCP port of 127.0.0.1 that nobody listens on now: a rendezvous for ranks on this machine.
// Error(Io) when there is none.
int free_local_port();

// Options shared by every training job (the method's own params come from its preset).
struct TrainOptions {
  std::string out;     // model file to write (.atl)
  std::string resume;  // model file to continue from; empty: start fresh
  ComputeOptions compute;
  std::uint64_t seed = 1;
  int preview_every = 100;          // steps between on_preview calls; 0: never
  double checkpoint_every_s = 300;  // also save a resumable file this often; 0: only at the end
  DistributedOptions distributed;   // only for the methods that say they take it
};

struct TrainResult {
  std::string model_path;
  bool finished = false;  // false: stopped early; the file is resumable
  std::int64_t step = 0;  // global steps done, over all scales
  double seconds = 0;     // wall time of this run
  std::vector<std::pair<std::string, double>> final_losses;
  std::vector<std::string> warnings;  // plain sentences for the user (a failed self-check, ...)
};

}  // namespace atelier
