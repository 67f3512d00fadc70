#include "methods/videogen/stack.h"

#include <algorithm>
#include <cmath>

#include "atelier/error.h"
#include "core/pyramid.h"

namespace atelier::videogen {

std::vector<LevelSize> level_sizes(int width, int height, const VideogenParams& p) {
  const PyramidSpec spec{p.min_size, p.max_size, 0.75, p.levels, /*uneven=*/false};
  const std::vector<ScaleSize> spatial = pyramid_sizes(width, height, spec);
  const int n = static_cast<int>(spatial.size());
  std::vector<LevelSize> sizes;
  for (int k = 0; k < n; ++k) {
    const double t = n > 1 ? static_cast<double>(k) / (n - 1) : 1.0;
    int frames = static_cast<int>(
        std::lround(p.min_frames * std::pow(static_cast<double>(p.frames) / p.min_frames, t)));
    if (!sizes.empty()) frames = std::max(frames, sizes.back().frames);
    sizes.push_back({spatial[k].width, spatial[k].height, frames});
  }
  sizes.back().frames = p.frames;
  return sizes;
}

std::vector<LevelSize> stretch_frames(const std::vector<LevelSize>& sizes, int frames) {
  std::vector<LevelSize> out = sizes;
  const double ratio = static_cast<double>(frames) / sizes.back().frames;
  for (LevelSize& s : out) s.frames = std::max(1, static_cast<int>(std::lround(s.frames * ratio)));
  out.back().frames = frames;
  return out;
}

torch::Device VideoStack::device() const {
  return decoder->tail->weight.device();
}

torch::Tensor VideoStack::refine(int first, int last, torch::Tensor prev,
                                 const std::vector<torch::Tensor>& noise,
                                 const std::vector<LevelSize>& at) const {
  for (int k = first; k <= last; ++k) {
    const LevelSize s = at[k];
    prev = resize_clip(prev, s.frames, s.height, s.width);
    LevelGenerator refiner = refiners[k - 1];  // a handle: modules run from const stacks
    prev = refiner->forward(prev, noise[k], amps[k]);
  }
  return prev;
}

torch::Tensor VideoStack::generate(const torch::Tensor& latent, int last,
                                   const std::vector<torch::Tensor>& noise,
                                   const std::vector<LevelSize>& at) const {
  VaeDecoder d = decoder;
  return refine(1, last, d->forward(latent), noise, at);
}

torch::Tensor VideoStack::mean_latent(const torch::Tensor& clip0) const {
  VaeEncoder e = encoder;
  return e->forward(clip0).mu;
}

torch::Tensor VideoStack::reconstruct(const torch::Tensor& clip0, int last) const {
  return generate(mean_latent(clip0), last, std::vector<torch::Tensor>(sizes.size()), sizes);
}

void VideoStack::freeze(bool vae, int first, int last) const {
  auto freeze_one = [](torch::nn::Module& m) {
    m.eval();
    for (auto& p : m.parameters()) p.set_requires_grad(false);
  };
  // ptr(): the modules, not const views of them (this only changes their mode and flags).
  if (vae) {
    freeze_one(*encoder.ptr());
    freeze_one(*decoder.ptr());
  }
  for (int k = std::max(1, first); k <= last; ++k) freeze_one(*refiners[k - 1].ptr());
}

std::vector<torch::Tensor> draw_noise(const std::vector<LevelSize>& sizes, int first, int last,
                                      const torch::Device& device,
                                      std::optional<at::Generator> generator) {
  std::vector<torch::Tensor> noise(sizes.size());
  for (int k = first; k <= last; ++k) {
    const LevelSize s = sizes[k];
    const std::vector<std::int64_t> shape{1, 3, s.frames, s.height, s.width};
    noise[k] = generator ? torch::randn(shape, *generator, torch::kFloat).to(device)
                         : torch::randn(shape, torch::dtype(torch::kFloat).device(device));
  }
  return noise;
}

torch::Tensor draw_latent(const LevelSize& s0, int channels, double temperature,
                          const torch::Device& device, std::optional<at::Generator> generator) {
  const std::vector<std::int64_t> shape{1, channels, s0.frames, s0.height, s0.width};
  const torch::Tensor z = generator
                              ? torch::randn(shape, *generator, torch::kFloat).to(device)
                              : torch::randn(shape, torch::dtype(torch::kFloat).device(device));
  return z * temperature;
}

}  // namespace atelier::videogen
