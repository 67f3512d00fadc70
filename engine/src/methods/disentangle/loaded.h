// A model file of disentangle or masktransfer, loaded for inference.
#pragma once

#include <functional>
#include <string>

#include "atelier/disentangle.h"
#include "methods/disentangle/ops.h"

namespace atelier::disentangle {

struct Loaded {
  ModelInfo info;
  torch::Device device{torch::kCPU};
  TransferNets nets{nullptr};
  Composition composition = Composition::Render;
  int size = 0;

  Ops ops() const { return Ops(nets, composition); }
  torch::Tensor input(const Image& image) const;
  Codes encode(const Image& image) const;
  std::vector<std::int64_t> common_shape() const;
  std::vector<std::int64_t> separate_shape() const;
  Attribute dominant(const Codes& codes) const;
};

using ParamsReader = std::function<DisentangleParams(const nlohmann::json&, const std::string&)>;

// Reads `path` (a file of `method`), its params through `read`, and the networks.
Loaded load_model(const std::string& path, const ComputeOptions& compute,
                  const std::string& method, Composition composition, const ParamsReader& read);

// `steps` values from 0 to 1.
std::vector<double> interpolation_steps(int steps);

}  // namespace atelier::disentangle
