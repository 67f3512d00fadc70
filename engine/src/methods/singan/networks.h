// SinGAN's networks: one patch generator per scale, chained coarse to fine (nn::GeneratorStack).
#pragma once

#include "atelier/singan.h"
#include "nn/generator_stack.h"
#include "nn/patch_nets.h"

namespace atelier::singan {

nn::PatchNetOptions generator_options(const SinganParams& params, int scale);
nn::PatchNetOptions discriminator_options(const SinganParams& params, int scale);

using nn::draw_noise;
using nn::GeneratorStack;
using nn::seeded_generator;

}  // namespace atelier::singan
