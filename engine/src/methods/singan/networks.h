// SinGAN's networks: one patch generator per scale, chained coarse to fine.
#pragma once

#include <torch/types.h>

#include <optional>
#include <vector>

#include "atelier/singan.h"
#include "core/pyramid.h"
#include "nn/patch_nets.h"

namespace atelier::singan {

nn::PatchNetOptions generator_options(const SinganParams& params, int scale);
nn::PatchNetOptions discriminator_options(const SinganParams& params, int scale);

// The generators trained so far, with what running them needs.
struct GeneratorStack {
  std::vector<nn::PatchGenerator> generators;  // scales 0 .. trained() - 1
  std::vector<double> amps;                    // noise amplitude of each trained scale
  std::vector<ScaleSize> sizes;                // training sizes of all pyramid scales
  torch::Tensor rec_noise;                     // fixed noise of scale 0 for the reconstruction

  int trained() const { return static_cast<int>(generators.size()); }
  torch::Device device() const { return rec_noise.device(); }

  // Runs scales first..last at `sizes` (one per scale, as long as this->sizes). `prev` is the image
  // the scale `first` refines (resized to its size; undefined: zeros). noise[k] undefined means no
  // noise at scale k. Gradients flow when enabled by the caller.
  torch::Tensor run(int first, int last, torch::Tensor prev,
                    const std::vector<torch::Tensor>& noise,
                    const std::vector<ScaleSize>& at) const;
  // The reconstruction noise plan: rec_noise at scale 0, none elsewhere.
  std::vector<torch::Tensor> rec_plan() const;
  // Scales 0..last with the reconstruction noise at the training sizes.
  torch::Tensor reconstruct(int last) const;
  // Puts every generator in eval mode (running BatchNorm statistics) and stops their gradients.
  void freeze(int first, int last) const;
};

// Standard normal noise, 1 x 3 x h x w per scale first..last (others undefined). With a generator
// (CPU), the noise is drawn on the CPU and moved, so a seed gives the same noise on every device.
std::vector<torch::Tensor> draw_noise(const std::vector<ScaleSize>& sizes, int first, int last,
                                      const torch::Device& device,
                                      std::optional<at::Generator> generator = std::nullopt);

at::Generator seeded_generator(std::uint64_t seed);

}  // namespace atelier::singan
