// The trained levels of a videogen model and how to run them: the VAE's encoder and decoder
// (level 0), then one residual refiner per finer level, each refining the upsampled coarser clip.
#pragma once

#include <torch/types.h>

#include <optional>
#include <vector>

#include "atelier/videogen.h"
#include "methods/videogen/networks.h"

namespace atelier::videogen {

struct LevelSize {
  int width = 0;
  int height = 0;
  int frames = 0;
  bool operator==(const LevelSize& o) const {
    return width == o.width && height == o.height && frames == o.frames;
  }
};

// The spatio-temporal pyramid for a clip whose frames are width x height (already fitted into
// max_size): spatial sizes as the image pyramid's (exactly params.levels), frame counts growing
// geometrically from min_frames to frames. Error(BadInput) for frames below min_size.
std::vector<LevelSize> level_sizes(int width, int height, const VideogenParams& params);

// The same pyramid for a clip of `frames` frames at the finest level (longer or shorter videos):
// every level's frame count scaled by the same ratio (at least 1).
std::vector<LevelSize> stretch_frames(const std::vector<LevelSize>& sizes, int frames);

struct VideoStack {
  VaeEncoder encoder{nullptr};
  VaeDecoder decoder{nullptr};
  std::vector<LevelGenerator> refiners;  // level k >= 1 at refiners[k - 1]
  std::vector<double> amps;              // noise amplitude per trained level (0: no noise)
  std::vector<LevelSize> sizes;          // all levels of the pyramid
  int latent_channels = 0;

  int trained() const { return decoder ? 1 + static_cast<int>(refiners.size()) : 0; }
  torch::Device device() const;

  // Levels first..last (first >= 1) on `prev`, the clip of level first - 1 (resized here).
  // noise[k] undefined: no noise at level k. Gradients flow when enabled by the caller.
  torch::Tensor refine(int first, int last, torch::Tensor prev,
                       const std::vector<torch::Tensor>& noise,
                       const std::vector<LevelSize>& at) const;
  // The decoder on `latent`, then levels 1..last.
  torch::Tensor generate(const torch::Tensor& latent, int last,
                         const std::vector<torch::Tensor>& noise,
                         const std::vector<LevelSize>& at) const;
  // The encoder's mean latent of `clip0` (the coarsest real clip).
  torch::Tensor mean_latent(const torch::Tensor& clip0) const;
  // The deterministic reconstruction of levels 0..last from the mean latent of `clip0`.
  torch::Tensor reconstruct(const torch::Tensor& clip0, int last) const;
  // Eval mode (running BatchNorm statistics) and no gradients for the VAE (when `vae`) and
  // refiners of levels first..last.
  void freeze(bool vae, int first, int last) const;
};

// Standard normal noise 1 x 3 x T x H x W for levels first..last (others undefined). With a
// generator (CPU), drawn on the CPU and moved, so that a seed gives the same noise everywhere.
std::vector<torch::Tensor> draw_noise(const std::vector<LevelSize>& sizes, int first, int last,
                                      const torch::Device& device,
                                      std::optional<at::Generator> generator = std::nullopt);
// A standard normal latent map for level size `s0`, times `temperature`.
torch::Tensor draw_latent(const LevelSize& s0, int channels, double temperature,
                          const torch::Device& device,
                          std::optional<at::Generator> generator = std::nullopt);

}  // namespace atelier::videogen
