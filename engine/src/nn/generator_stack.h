// A chain of per-scale patch generators, coarse to fine (singan, analogy): each scale refines the
// upsampled output of the coarser one, fed with noise scaled by its noise amplitude.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/model_archive.h"
#include "core/pyramid.h"
#include "nn/patch_nets.h"

namespace atelier::nn {

// The generators trained so far, with what running them needs.
struct GeneratorStack {
  std::vector<PatchGenerator> generators;  // scales 0 .. trained() - 1
  std::vector<double> amps;                // noise amplitude of each trained scale
  std::vector<ScaleSize> sizes;            // training sizes of all pyramid scales
  torch::Tensor rec_noise;                 // fixed noise of scale 0 for the reconstruction

  int trained() const { return static_cast<int>(generators.size()); }
  torch::Device device() const { return rec_noise.device(); }

  // Runs scales first..last at `at` (one size per scale, as long as this->sizes). `prev` is the
  // image the scale `first` refines (resized to its size; undefined: zeros). noise[k] undefined
  // means no noise at scale k. A batch of pictures runs as one when prev and the noise hold one
  // row each. Gradients flow when enabled by the caller.
  torch::Tensor run(int first, int last, torch::Tensor prev,
                    const std::vector<torch::Tensor>& noise,
                    const std::vector<ScaleSize>& at) const;
  // The reconstruction noise plan: rec_noise at scale 0, none elsewhere.
  std::vector<torch::Tensor> rec_plan() const;
  // A training step's sample (from `prev` and `noise`) and reconstruction (from `rec_prev`) at
  // scales first..last as one batch of two pictures, so that run(first, last, pair.prev,
  // pair.noise) gives both in one pass (rows 0 and 1) when the generators normalise per picture.
  // The previous pictures are both undefined (first = 0) or both defined.
  struct Pair {
    torch::Tensor prev;
    std::vector<torch::Tensor> noise;
  };
  Pair sample_and_reconstruction(int first, int last, const torch::Tensor& prev,
                                 const std::vector<torch::Tensor>& noise,
                                 const torch::Tensor& rec_prev) const;
  // Scales 0..last with the reconstruction noise at the training sizes.
  torch::Tensor reconstruct(int last) const;
  // Puts generators first..last in eval mode (running BatchNorm statistics), stops their gradients.
  void freeze(int first, int last) const;
};

// Peak memory of a training step at the finest of `sizes`: the generators of the `train_depth`
// newest scales (twice: the sample and the reconstruction pass) and the critic with its gradient
// penalty. `width_of(k)`: the width of scale k's networks.
double pyramid_training_bytes(const std::vector<ScaleSize>& sizes, int train_depth, int layers,
                              const std::function<int(int)>& width_of);
// Before a training starts or resumes: Error(Usage) naming `method`, the finest size and the
// parameters to lower when pyramid_training_bytes() (times `domains`, the generator chains that
// train: analogy has two) exceeds what the machine has.
void require_pyramid_training_memory(const std::string& method, const std::vector<ScaleSize>& sizes,
                                     int train_depth, int layers, int domains,
                                     const std::function<int(int)>& width_of);
// Peak memory of running the generators at `sizes` without gradients, and of the image drawn.
double pyramid_sampling_bytes(const std::vector<ScaleSize>& sizes,
                              const std::function<int(int)>& width_of);
// "at most about 5120x3840 here": the largest finest size whose sampling fits in `available`
// bytes, keeping the aspect of `finest`.
std::string largest_fitting_size(const ScaleSize& finest, double bytes, double available);

// Standard normal noise, 1 x 3 x h x w per scale first..last (others undefined). With a generator
// (CPU), the noise is drawn on the CPU and moved, so a seed gives the same noise on every device.
std::vector<torch::Tensor> draw_noise(const std::vector<ScaleSize>& sizes, int first, int last,
                                      const torch::Device& device,
                                      std::optional<at::Generator> generator = std::nullopt);

at::Generator seeded_generator(std::uint64_t seed);

// Model files: the generators as "<prefix>g.<k>.*" and the reconstruction noise as
// "<prefix>rec_noise" (sizes and amplitudes are the caller's, in its JSON state).
void put_generators(RawModelArchive& archive, const std::string& prefix,
                    const GeneratorStack& stack);
// Reads `trained` generators built with options_of(k) into stack (whose sizes are already set),
// moves them to `device` and freezes them. Error(BadInput) naming the file for missing parts or a
// reconstruction noise that does not match the coarsest size.
void get_generators(const RawModelArchive& archive, const std::string& prefix, int trained,
                    const std::function<PatchNetOptions(int)>& options_of,
                    const torch::Device& device, GeneratorStack& stack);

}  // namespace atelier::nn
