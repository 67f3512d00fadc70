// Torch glue for model archives: modules, optimizers and tensors in and out of a RawModelArchive.
#pragma once

#include <torch/nn/module.h>
#include <torch/optim/adam.h>

#include <string>

#include "core/model_archive.h"

namespace atelier {

void put_tensor(RawModelArchive& archive, const std::string& name, const torch::Tensor& tensor);
// Error(BadInput) naming the archive's file when the tensor is missing.
torch::Tensor get_tensor(const RawModelArchive& archive, const std::string& name,
                         const torch::Device& device = torch::kCPU);

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
