// The analogy's networks: per domain a chain of patch generators (nn::GeneratorStack), residual at
// the coarse and middle scales and direct at the finest `direct_scales`.
#pragma once

#include "atelier/analogy.h"
#include "nn/generator_stack.h"
#include "nn/patch_nets.h"

namespace atelier::analogy {

// `scales` is the pyramid's scale count (the direct scales are counted from the finest).
nn::PatchNetOptions generator_options(const AnalogyParams& params, int scale, int scales);
nn::PatchNetOptions discriminator_options(const AnalogyParams& params, int scale);

// A domain's chain and its training pyramid.
struct DomainStack {
  nn::GeneratorStack stack;
  std::vector<torch::Tensor> reals;  // one per pyramid scale
};

// The translation at scale k: `source` (the other domain's image of scale k) is both the input and
// the residual base of this domain's generator k; no noise.
torch::Tensor translate_at(const nn::GeneratorStack& stack, int k, const torch::Tensor& source);

}  // namespace atelier::analogy
