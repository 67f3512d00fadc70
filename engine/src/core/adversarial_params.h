// The adversarial training schedule that singan, analogy and videogen share: the same keys, read
// with the same ranges (see each methods/<id>/params.cpp).
#pragma once

#include "atelier/preset.h"
#include "core/param_limits.h"

namespace atelier {

// Reads iterations, d_steps, g_steps, lr_g, lr_d, beta1, beta2, lr_decay_at, lr_decay,
// gp_weight, rec_weight and noise_amp into the fields of those names.
template <class Params>
void read_adversarial_schedule(ParamReader& r, Params& p) {
  p.iterations = r.get<int>("iterations", {1, 1000000});
  p.d_steps = r.get<int>("d_steps", {0, 100});
  p.g_steps = r.get<int>("g_steps", {1, 100});
  p.lr_g = r.get<double>("lr_g", Range::left_open(0, 1));
  p.lr_d = r.get<double>("lr_d", Range::left_open(0, 1));
  p.beta1 = r.get<double>("beta1", Range::right_open(0, 1));
  p.beta2 = r.get<double>("beta2", Range::right_open(0, 1));
  p.lr_decay_at = r.get<double>("lr_decay_at", Range::left_open(0, 1));
  p.lr_decay = r.get<double>("lr_decay", Range::left_open(0, 1));
  p.gp_weight = r.get<double>("gp_weight", {0, kMaxLossWeight});
  p.rec_weight = r.get<double>("rec_weight", {0, kMaxLossWeight});
  p.noise_amp = r.get<double>("noise_amp", {0, 10});
}

}  // namespace atelier
