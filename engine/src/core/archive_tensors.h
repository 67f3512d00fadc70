// Torch glue for model archives: modules, optimizers and tensors in and out of a RawModelArchive.
#pragma once

#include <torch/nn/module.h>
#include <torch/optim/adam.h>

#include <cstdint>
#include <string>

#include "core/model_archive.h"

namespace atelier {

void put_tensor(RawModelArchive& archive, const std::string& name, const torch::Tensor& tensor);
// Error(BadInput) naming the archive's file when the tensor is missing.
torch::Tensor get_tensor(const RawModelArchive& archive, const std::string& name,
                         const torch::Device& device = torch::kCPU);

// Numbers stored in the tensors named "<prefix>.*".
std::int64_t stored_numel(const RawModelArchive& archive, const std::string& prefix);

// Before a network is built from a file's parameters: Error(BadInput) naming the file and `what`
// ("scale 3's generator") when the tensors under `prefix` hold fewer than `least` numbers, the
// least the parameters say that network holds. A file whose parameters claim huge networks with
// no weights behind them is refused before those networks are allocated.
void require_stored_numbers(const RawModelArchive& archive, const std::string& prefix,
                            std::int64_t least, const std::string& what);

// Parameters and buffers under "<prefix>.<name>".
void put_module(RawModelArchive& archive, const std::string& prefix, const torch::nn::Module& module);
// Copies into an existing module of the same architecture; a missing tensor or a shape mismatch
// is Error(BadInput) naming the file and the tensor.
void get_module(const RawModelArchive& archive, const std::string& prefix, torch::nn::Module& module);

// Adam's moments and step counts, keyed by parameter order in each param group.
void put_adam(RawModelArchive& archive, const std::string& prefix, torch::optim::Adam& optimizer);
void get_adam(const RawModelArchive& archive, const std::string& prefix,
              torch::optim::Adam& optimizer);

}  // namespace atelier
