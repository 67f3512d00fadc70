// The self-check of a freshly trained disentangle or masktransfer model (TransferSelfCheck): its
// transfers between the pictures held back from training, judged by a classifier of the two sets.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <functional>
#include <optional>

#include "atelier/disentangle.h"
#include "methods/disentangle/data.h"
#include "methods/disentangle/ops.h"

namespace atelier::disentangle {

// The judge trains `judge_steps` steps on the training pictures of `a` and `b`, then judges
// `ops`' transfers between their held-back pictures (as many pairs as the smaller set holds
// back). None when a set holds none back. `after_step` gets the judge's steps done; it may throw
// to stop the check.
std::optional<TransferSelfCheck> check_transfers(const Ops& ops, const DomainSplit& a,
                                                 const DomainSplit& b, int judge_steps,
                                                 std::uint64_t seed, const torch::Device& device,
                                                 const std::function<void(int)>& after_step = {});

}  // namespace atelier::disentangle
