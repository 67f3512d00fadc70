#include "nn/generator_stack.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>

#include "atelier/error.h"
#include "core/archive_tensors.h"
#include "io/memory_budget.h"

namespace atelier::nn {

torch::Tensor GeneratorStack::run(int first, int last, torch::Tensor prev,
                                  const std::vector<torch::Tensor>& noise,
                                  const std::vector<ScaleSize>& at) const {
  for (int k = first; k <= last; ++k) {
    const ScaleSize s = at[k];
    if (!prev.defined()) {
      const std::int64_t pictures = noise[k].defined() ? noise[k].size(0) : 1;
      prev = torch::zeros({pictures, 3, s.height, s.width}, rec_noise.options());
    } else {
      prev = resize_tensor(prev, s.width, s.height);
    }
    const torch::Tensor& z = noise[k];
    PatchGenerator generator = generators[k];  // a handle: modules run from const stacks
    prev = generator->generate(z, prev, z.defined() ? amps[k] : 0.0);
  }
  return prev;
}

std::vector<torch::Tensor> GeneratorStack::rec_plan() const {
  std::vector<torch::Tensor> plan(sizes.size());
  plan[0] = rec_noise;
  return plan;
}

GeneratorStack::Pair GeneratorStack::sample_and_reconstruction(
    int first, int last, const torch::Tensor& prev, const std::vector<torch::Tensor>& noise,
    const torch::Tensor& rec_prev) const {
  // The reconstruction has no noise above scale 0: zeros, since prev + amp * 0 is prev.
  const std::vector<torch::Tensor> rec = rec_plan();
  Pair pair;
  if (prev.defined()) pair.prev = torch::cat({prev, rec_prev});
  pair.noise.resize(noise.size());
  for (int k = first; k <= last; ++k) {
    pair.noise[k] = torch::cat({noise[k], rec[k].defined() ? rec[k] : torch::zeros_like(noise[k])});
  }
  return pair;
}

torch::Tensor GeneratorStack::reconstruct(int last) const {
  return run(0, last, {}, rec_plan(), sizes);
}

void GeneratorStack::freeze(int first, int last) const {
  for (int k = first; k <= last; ++k) {
    PatchGenerator generator = generators[k];
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

void put_generators(RawModelArchive& archive, const std::string& prefix,
                    const GeneratorStack& stack) {
  for (int k = 0; k < stack.trained(); ++k) {
    put_module(archive, prefix + "g." + std::to_string(k), *stack.generators[k]);
  }
  put_tensor(archive, prefix + "rec_noise", stack.rec_noise);
}

double pyramid_training_bytes(const std::vector<ScaleSize>& sizes, int train_depth, int layers,
                              const std::function<int(int)>& width_of) {
  if (sizes.empty()) return 0;
  const int last = static_cast<int>(sizes.size()) - 1;
  const auto pixels = [&](int k) { return double(sizes[k].width) * sizes[k].height; };
  double generators = 0;
  for (int k = std::max(0, last - train_depth + 1); k <= last; ++k)
    generators += conv_training_bytes(pixels(k), width_of(k), layers);
  const double critic = conv_training_bytes(pixels(last), width_of(last), layers);
  return 2 * generators + 3 * critic;
}

void require_pyramid_training_memory(const std::string& method, const std::vector<ScaleSize>& sizes,
                                     int train_depth, int layers, int domains,
                                     const std::function<int(int)>& width_of) {
  if (sizes.empty()) return;
  const ScaleSize finest = sizes.back();
  require_memory(domains * pyramid_training_bytes(sizes, train_depth, layers, width_of),
                 "training " + method + " at " + std::to_string(finest.width) + "x" +
                     std::to_string(finest.height) + " (" +
                     std::to_string(width_of(static_cast<int>(sizes.size()) - 1)) + " channels, " +
                     std::to_string(layers) + " layers)",
                 "lower max_size, channels, max_channels or layers (--set max_size=N ...)");
}

double pyramid_sampling_bytes(const std::vector<ScaleSize>& sizes,
                              const std::function<int(int)>& width_of) {
  if (sizes.empty()) return 0;
  const int last = static_cast<int>(sizes.size()) - 1;
  const double pixels = double(sizes[last].width) * sizes[last].height;
  return conv_inference_bytes(pixels, width_of(last)) + 3 * pixels;
}

std::string largest_fitting_size(const ScaleSize& finest, double bytes, double available) {
  const double shrink = bytes > 0 ? std::sqrt(std::max(0.0, available) / bytes) : 1.0;
  return "at most about " + std::to_string(static_cast<int>(finest.width * shrink)) + "x" +
         std::to_string(static_cast<int>(finest.height * shrink)) + " here";
}

void get_generators(const RawModelArchive& archive, const std::string& prefix, int trained,
                    const std::function<PatchNetOptions(int)>& options_of,
                    const torch::Device& device, GeneratorStack& stack) {
  stack.rec_noise = get_tensor(archive, prefix + "rec_noise", device);
  const ScaleSize s0 = stack.sizes.at(0);
  if (stack.rec_noise.sizes() != torch::IntArrayRef({1, 3, s0.height, s0.width})) {
    throw bad_input(archive.info.path + ": not a usable " + archive.info.method +
                    " model: the reconstruction noise does not match the coarsest scale");
  }
  stack.generators.clear();
  for (int k = 0; k < trained; ++k) {
    const PatchNetOptions options = options_of(k);
    require_stored_numbers(archive, prefix + "g." + std::to_string(k),
                           patch_net_weights(options, options.out_channels),
                           "the generator of scale " + std::to_string(k));
    PatchGenerator g(options);
    get_module(archive, prefix + "g." + std::to_string(k), *g);
    g->to(device);
    stack.generators.push_back(g);
  }
  stack.freeze(0, trained - 1);
}

}  // namespace atelier::nn
