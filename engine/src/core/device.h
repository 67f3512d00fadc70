// The torch side of atelier/compute.h.
#pragma once

#include <torch/types.h>

#include "atelier/compute.h"

namespace atelier {

// Resolves "auto" / "cpu" / "cuda[:N]" to a device; Error(Usage) when CUDA is asked but absent.
torch::Device resolve_device(const ComputeOptions& options);

// Applies thread count and seed, returns the device: what every job does first.
torch::Device prepare_compute(const ComputeOptions& options, std::uint64_t seed);

}  // namespace atelier
