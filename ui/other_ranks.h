// other_ranks.h — the processes of a data-parallel training on this machine other than the
// studio's own (rank 0): atelier-cli-engine processes running the same `train` command.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "atelier/child_process.h"
#include "atelier/job.h"

namespace atelier::ui {

class OtherRanks {
 public:
  // Starts ranks 1 .. processes - 1 of `train_args` (the command line after the program name,
  // without --world-size, --rank and --rendezvous). Error(BadInput) when atelier-cli-engine is
  // not installed beside the studio.
  OtherRanks(const std::vector<std::string>& train_args, int processes,
             const std::string& rendezvous);
  // Gives the ranks a few seconds to end with rank 0, then stops them.
  ~OtherRanks();
  OtherRanks(const OtherRanks&) = delete;
  OtherRanks& operator=(const OtherRanks&) = delete;

 private:
  static constexpr int kGraceMs = 10000;
  std::vector<std::unique_ptr<atelier::ChildProcess>> ranks_;
};

// With `processes` above 1: makes `rank0` (this process's training) rank 0 of that many on this
// machine, with its share of the cores and a loopback rendezvous, and starts the others on
// `train METHOD_ARGS` (the method, its inputs and preset) with rank0's out, resume and device
// and the same threads. Nothing with 1 process.
std::unique_ptr<OtherRanks> startOtherRanks(const std::vector<std::string>& method_args,
                                            int processes, atelier::TrainOptions& rank0);

}  // namespace atelier::ui
