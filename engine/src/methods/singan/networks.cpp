#include "methods/singan/networks.h"

#include <ATen/CPUGeneratorImpl.h>

namespace atelier::singan {

nn::PatchNetOptions generator_options(const SinganParams& params, int scale) {
  nn::PatchNetOptions o;
  o.width =
      nn::scale_width(scale, params.channels, params.max_channels, params.channels_double_every);
  o.min_width = o.width;
  o.layers = params.layers;
  o.batch_norm = params.batch_norm;
  o.slope = params.leaky_slope;
  o.residual = true;
  return o;
}

nn::PatchNetOptions discriminator_options(const SinganParams& params, int scale) {
  nn::PatchNetOptions o = generator_options(params, scale);
  o.out_channels = 1;
  return o;
}

torch::Tensor GeneratorStack::run(int first, int last, torch::Tensor prev,
                                  const std::vector<torch::Tensor>& noise,
                                  const std::vector<ScaleSize>& at) const {
  for (int k = first; k <= last; ++k) {
    const ScaleSize s = at[k];
    if (!prev.defined()) {
      prev = torch::zeros({1, 3, s.height, s.width}, rec_noise.options());
    } else {
      prev = resize_tensor(prev, s.width, s.height);
    }
    const torch::Tensor& z = noise[k];
    nn::PatchGenerator generator = generators[k];  // a handle: modules run from const stacks
    prev = generator->generate(z, prev, z.defined() ? amps[k] : 0.0);
  }
  return prev;
}

std::vector<torch::Tensor> GeneratorStack::rec_plan() const {
  std::vector<torch::Tensor> plan(sizes.size());
  plan[0] = rec_noise;
  return plan;
}

torch::Tensor GeneratorStack::reconstruct(int last) const {
  return run(0, last, {}, rec_plan(), sizes);
}

void GeneratorStack::freeze(int first, int last) const {
  for (int k = first; k <= last; ++k) {
    nn::PatchGenerator generator = generators[k];
    generator->eval();
    for (auto& p : generator->parameters()) p.set_requires_grad(false);
  }
}

at::Generator seeded_generator(std::uint64_t seed) {
  return at::detail::createCPUGenerator(seed);
}

std::vector<torch::Tensor> draw_noise(const std::vector<ScaleSize>& sizes, int first, int last,
                                      const torch::Device& device,
                                      std::optional<at::Generator> generator) {
  std::vector<torch::Tensor> noise(sizes.size());
  for (int k = first; k <= last; ++k) {
    const ScaleSize s = sizes[k];
    if (generator) {
      noise[k] = torch::randn({1, 3, s.height, s.width}, *generator, torch::kFloat).to(device);
    } else {
      noise[k] =
          torch::randn({1, 3, s.height, s.width}, torch::dtype(torch::kFloat).device(device));
    }
  }
  return noise;
}

}  // namespace atelier::singan
