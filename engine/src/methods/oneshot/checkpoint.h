// oneshot in a model file (.atl).
//
// Tensors: "nets.*" (phase I: B's encoder and decoder, split into outer and shared layers;
// phase II also A's outer layers), in phase II "a_image" (uint8 3 x S x S, the single A image);
// a resumable file also holds "d_b.*", "d_a.*" (phase II), "adam_b.*", "adam_a.*" (phase II) and
// "adam_d.*". State JSON: phase, step, elapsed_s, b_folder, base.
#pragma once

#include <string>

#include "core/model_archive.h"
#include "methods/oneshot/networks.h"

namespace atelier::oneshot {

constexpr const char* kMethod = "oneshot";

struct TrainingState {
  int phase = 1;
  std::int64_t step = 0;  // steps done in this phase
  double elapsed_s = 0;
  std::string b_folder;  // the B folder as given to the training
  std::string base;      // phase II: the phase I file it started from
};

nlohmann::json state_json(const TrainingState& state);
// Error(BadInput) naming the file for a missing or bad state.
TrainingState stored_state(const RawModelArchive& archive);
TrainingState stored_state(const ModelInfo& info);

// The file's parameters, read strictly.
OneshotParams stored_params(const RawModelArchive& archive);

// Before networks of the file's parameters are built: Error(BadInput) when the stored tensors
// are too few for them (a file that claims huge networks).
void require_stored_networks(const RawModelArchive& archive, const OneshotParams& params);

// Networks of the file's parameters (with A's side in phase II) holding the stored weights, on
// `device`, in eval mode. Error(BadInput) when the stored tensors are too few for the
// parameters (a file that claims huge networks) or do not fit them.
OneshotNets load_nets(const RawModelArchive& archive, const OneshotParams& params, int phase,
                      const torch::Device& device);

void put_a_image(RawModelArchive& archive, const torch::Tensor& image);  // 1 x 3 x S x S float
torch::Tensor get_a_image(const RawModelArchive& archive, int size, const torch::Device& device);

}  // namespace atelier::oneshot
