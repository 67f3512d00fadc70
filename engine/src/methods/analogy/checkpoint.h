// The analogy in a model file (.atl): what is stored, under which names, and how it is read back.
//
// Tensors per domain d in {a, b}: "<d>.g.<k>.*" generator k, "<d>.rec_noise", "<d>.real.<k>" the
// training pyramid; a resumable file also holds "<d>.d.*" (the critics of the scale being trained),
// "adam_g.*" and "adam_d.*". State JSON: sizes [[w, h], ...] of every scale, noise_amps_a,
// noise_amps_b, trained_scales, scale (being trained, or the count when finished), scale_step,
// elapsed_s; once trained, default_inject {ab, ba} (see store_default_injection).
#pragma once

#include <string>
#include <utility>

#include "core/model_archive.h"
#include "core/scale_position_io.h"
#include "methods/analogy/networks.h"

namespace atelier::analogy {

constexpr const char* kMethod = "analogy";

using Position = StoredPosition;

const char* prefix(Domain domain);  // "a." or "b."

void put_domains(RawModelArchive& archive, const DomainStack& a, const DomainStack& b,
                 const Position& position);

AnalogyParams stored_params(const RawModelArchive& archive);

// The injection levels a->b and b->a use by default (state "default_inject": {"ab", "ba"}, written
// after training); {0, 0} for files written before models chose their levels. Error(BadInput)
// for levels outside 0..trained-1.
std::pair<int, int> stored_default_inject(const RawModelArchive& archive, int trained);

// Rebuilds a domain's generators (frozen, eval mode) and, with `reals`, its pyramid on `device`.
// Error(BadInput) naming the file for missing or inconsistent parts.
DomainStack get_domain(const RawModelArchive& archive, Domain domain, const AnalogyParams& params,
                       const torch::Device& device, bool reals);

}  // namespace atelier::analogy
