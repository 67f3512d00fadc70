// Videogen in a model file (.atl): what is stored, under which names, and how it is read back.
//
// Tensors: "enc.*" and "dec.*" the VAE, "g.<k>.*" the refiner of level k >= 1, "real.<k>" the
// training pyramid; a resumable file also holds "d.*" (the critic of the GAN level being
// trained), "adam_g.*" and "adam_d.*". State JSON: sizes [[w, h, frames], ...] of every level,
// noise_amps and trained_levels, fps of the clip, and the training position (scale = the level
// being trained, or the count when finished; scale_step; elapsed_s).
#pragma once

#include <string>
#include <vector>

#include "core/model_archive.h"
#include "core/scale_position_io.h"
#include "methods/videogen/stack.h"

namespace atelier::videogen {

constexpr const char* kMethod = "videogen";

using Position = StoredPosition;

void put_stack(RawModelArchive& archive, const VideoStack& stack,
               const std::vector<torch::Tensor>& reals, double fps, const Position& position);

VideogenParams stored_params(const RawModelArchive& archive);
double stored_fps(const RawModelArchive& archive);

// Rebuilds the trained networks of the file on `device`, frozen (eval mode, no gradients).
// Error(BadInput) naming the file for missing or inconsistent parts.
VideoStack get_stack(const RawModelArchive& archive, const VideogenParams& params,
                     const torch::Device& device);
std::vector<torch::Tensor> get_reals(const RawModelArchive& archive, int count,
                                     const torch::Device& device);

}  // namespace atelier::videogen
