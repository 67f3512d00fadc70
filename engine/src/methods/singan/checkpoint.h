// SinGAN in a model file (.atl): what is stored, under which names, and how it is read back.
//
// Tensors: "g.<k>.*" generator k, "rec_noise", "real.<k>" the training pyramid; a resumable file
// also holds "d.*" (the critic of the scale being trained), "adam_g.*" and "adam_d.*".
// State JSON: sizes [[w, h], ...] of every scale, noise_amps of the trained ones, trained_scales,
// scale (the scale being trained, or the count when finished), scale_step, elapsed_s.
#pragma once

#include <string>
#include <vector>

#include "core/model_archive.h"
#include "core/scale_position_io.h"
#include "methods/singan/networks.h"

namespace atelier::singan {

constexpr const char* kMethod = "singan";

using Position = StoredPosition;

// Writes the stack and the pyramid into `archive` (tensors and info.state).
void put_stack(RawModelArchive& archive, const GeneratorStack& stack,
               const std::vector<torch::Tensor>& reals, const Position& position);

// The parameters a file was trained with (strictly read from info.params).
SinganParams stored_params(const RawModelArchive& archive);

// Rebuilds the generators of the file on `device`, in eval mode. Error(BadInput) naming the file
// for missing or inconsistent parts.
GeneratorStack get_stack(const RawModelArchive& archive, const SinganParams& params,
                         const torch::Device& device);
std::vector<torch::Tensor> get_reals(const RawModelArchive& archive, int count,
                                     const torch::Device& device);

}  // namespace atelier::singan
