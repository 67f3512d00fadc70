// transfer_job.h — the Attribute transfer workspace's training job (disentangle or masktransfer)
// on the two galleries, in this process or spread over several processes of this machine.
#pragma once

#include <string>
#include <vector>

#include "atelier/job.h"
#include "job_runner.h"

namespace atelier::ui {

struct TransferTrainRequest {
  std::string method;             // "disentangle" or "masktransfer"
  std::string preset;             // one of the method's presets
  std::vector<std::string> a, b;  // the galleries' pictures
  atelier::TrainOptions options;  // out, compute, preview_every
  // Over this many processes of this machine (this one is rank 0; the others run
  // atelier-cli-engine on the galleries written as list files); they share the cores.
  int processes = 1;
};

// Returns true when the training finished, false when stopped (resumable with `resume`).
EngineJob transferTrainJob(const TransferTrainRequest& request, bool resume);

}  // namespace atelier::ui
