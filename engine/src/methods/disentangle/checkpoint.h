// disentangle and masktransfer in a model file (.atl).
//
// Tensors: "nets.*" the encoders and generator; a resumable file also holds "disc.*" (the latent
// discriminator), "critic.*" (the image domain critic), "adam_g.*", "adam_d.*" and "adam_c.*".
// State JSON: step, elapsed_s, image_size.
#pragma once

#include <string>

#include "core/model_archive.h"
#include "methods/disentangle/networks.h"

namespace atelier::disentangle {

constexpr const char* kMethod = "disentangle";

struct Position {
  std::int64_t step = 0;
  double elapsed_s = 0;
};

nlohmann::json position_json(const Position& position, int image_size);
// Error(BadInput) naming the file for a missing or bad state.
Position stored_position(const RawModelArchive& archive);

// Before the networks of the file's parameters are built: Error(BadInput) when the tensors under
// `prefix` are too few for them (parameters that claim huge networks).
void require_stored_networks(const RawModelArchive& archive, const std::string& prefix,
                             const DisentangleParams& params);

// A network set of the file's parameters with the stored weights, on `device`, in eval mode.
TransferNets load_nets(const RawModelArchive& archive, const DisentangleParams& params,
                       const torch::Device& device);

}  // namespace atelier::disentangle
