// The multi-scale GAN trainers (singan, analogy, videogen) with the paper presets' several critic
// and generator steps an iteration.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>

#include "atelier/job.h"
#include "atelier/preset.h"
#include "test_support.h"

namespace atelier::test {

// Trains `method`'s tiny preset with 3 critic and 3 generator steps an iteration (2 iterations a
// scale) through `train`, and expects a finished model with finite losses. The first generator
// step trains on what the critic steps judged; the later ones must run the updated generators
// again (reusing the first pass would backward through a freed graph).
inline void expect_trains_with_paper_steps(
    const std::string& method,
    const std::function<TrainResult(const Preset&, const TrainOptions&)>& train) {
  TempDir dir(method + "-steps");
  Preset preset = load_preset(method, "tiny");
  preset.params["d_steps"] = 3;
  preset.params["g_steps"] = 3;
  preset.params["iterations"] = 2;
  if (preset.params.contains("vae_iterations")) preset.params["vae_iterations"] = 2;
  TrainOptions options;
  options.out = dir.file("steps.atl");
  options.checkpoint_every_s = 0;
  options.compute = {"cpu", 1};
  const TrainResult r = train(preset, options);
  EXPECT_TRUE(r.finished);
  ASSERT_FALSE(r.final_losses.empty());
  for (const auto& [name, value] : r.final_losses) EXPECT_TRUE(std::isfinite(value)) << name;
}

}  // namespace atelier::test
