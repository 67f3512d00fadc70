// VideogenModel: inference operations on a trained (or resumable) videogen model file.
#include <string>

#include "atelier/error.h"
#include "atelier/videogen.h"
#include "core/archive_tensors.h"
#include "core/device.h"
#include "core/guard.h"
#include "core/tensor_image.h"
#include "io/memory_budget.h"
#include "methods/videogen/checkpoint.h"
#include "nn/generator_stack.h"

namespace atelier {

namespace {
constexpr int kMaxFrames = 1000;  // a sample longer than this is surely a typo
}

struct VideogenModel::Impl {
  ModelInfo info;
  VideogenParams params;
  videogen::VideoStack stack;
  torch::Device device{torch::kCPU};
  torch::Tensor real0;      // the coarsest training clip (the encoder's input)
  torch::Tensor mu, sigma;  // the encoder's posterior of real0
  torch::Tensor real_last;  // the training clip at the finest trained level
  double fps = 25;

  int last() const { return stack.trained() - 1; }
};

VideogenModel::VideogenModel(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

VideogenModel VideogenModel::load(const std::string& path, const ComputeOptions& compute) {
  return guarded("loading videogen model " + path, [&] {
    auto impl = std::make_shared<Impl>();
    apply_compute_options(compute);
    impl->device = resolve_device(compute);
    const RawModelArchive archive = read_raw_model_archive(path, videogen::kMethod);
    impl->params = videogen::stored_params(archive);
    impl->stack = videogen::get_stack(archive, impl->params, impl->device);
    impl->info = archive.info;
    impl->fps = videogen::stored_fps(archive);
    impl->real0 = get_tensor(archive, "real.0", impl->device);
    impl->real_last = get_tensor(archive, "real." + std::to_string(impl->last()), impl->device);
    {
      torch::NoGradGuard no_grad;
      videogen::VaeEncoder encoder = impl->stack.encoder;
      const videogen::Encoded e = encoder->forward(impl->real0);
      impl->mu = e.mu;
      impl->sigma = (0.5 * e.logvar).exp();
    }
    const videogen::LevelSize s0 = impl->stack.sizes[0];
    if (impl->real0.dim() != 5 || impl->real0.size(2) != s0.frames ||
        impl->real0.size(3) != s0.height || impl->real0.size(4) != s0.width) {
      throw bad_input(path +
                      ": not a usable videogen model: the stored clip does not match "
                      "the coarsest level");
    }
    return VideogenModel(std::move(impl));
  });
}

Video VideogenModel::sample(const VideogenSampleOptions& options) const {
  return guarded("videogen sample", [&] {
    const Impl& m = *impl_;
    const int trained_frames = m.stack.sizes[m.last()].frames;
    const int frames = options.frames > 0 ? options.frames : trained_frames;
    if (frames < 2 || frames > kMaxFrames) {
      throw usage_error("videogen: a sample has 2 to " + std::to_string(kMaxFrames) +
                        " frames, not " + std::to_string(frames));
    }
    if (options.start_level < 0 || options.start_level > m.last()) {
      throw usage_error("videogen: start level " + std::to_string(options.start_level) +
                        " is outside 0.." + std::to_string(m.last()));
    }
    if (options.start_level > 0 && frames != trained_frames) {
      throw usage_error(
          "videogen: a sample that starts from the real clip (start level > 0) "
          "has the training length of " +
          std::to_string(trained_frames) + " frames");
    }
    if (options.layout > 1) throw usage_error("videogen: the layout weight lies in [0, 1]");
    torch::NoGradGuard no_grad;
    // The pyramid up to the finest trained level, stretched in time to the frames asked for.
    std::vector<videogen::LevelSize> at(m.stack.sizes.begin(),
                                        m.stack.sizes.begin() + m.stack.trained());
    at = videogen::stretch_frames(at, frames);
    const videogen::LevelSize finest = at.back();
    const double voxels = double(finest.width) * finest.height * finest.frames;
    require_memory(conv_inference_bytes(voxels, m.params.channels) + 3 * voxels,
                   "a videogen sample of " + std::to_string(frames) + " frames at " +
                       std::to_string(finest.width) + "x" + std::to_string(finest.height),
                   "ask for fewer frames");
    auto generator = nn::seeded_generator(options.seed);
    const torch::Tensor eps =
        videogen::draw_latent(at[0], m.stack.latent_channels, 1.0, m.device, generator);
    // The posterior stretched in time to the sample's coarsest length.
    const videogen::LevelSize s0 = at[0];
    const torch::Tensor mu = videogen::resize_clip(m.mu, s0.frames, s0.height, s0.width);
    const torch::Tensor sigma = videogen::resize_clip(m.sigma, s0.frames, s0.height, s0.width);
    const double w = resolved_layout(options.layout);
    const double temperature = resolved_temperature(options.temperature);
    const torch::Tensor z = w * mu + temperature * (w * sigma + (1 - w)) * eps;
    std::vector<torch::Tensor> noise =
        videogen::draw_noise(at, options.start_level, m.last(), m.device, generator);
    torch::Tensor clip;
    if (options.start_level == 0) {
      clip = m.stack.generate(z, m.last(), noise, at);
    } else {
      const torch::Tensor below = m.stack.reconstruct(m.real0, options.start_level - 1);
      clip = m.stack.refine(options.start_level, m.last(), below, noise, at);
    }
    return tensor_to_video(clip, m.fps);
  });
}

Video VideogenModel::reconstruct(int level) const {
  return guarded("videogen reconstruct", [&] {
    const Impl& m = *impl_;
    if (level < 0) level = m.last();
    if (level > m.last()) {
      throw usage_error("videogen: level " + std::to_string(level) + " is outside 0.." +
                        std::to_string(m.last()));
    }
    torch::NoGradGuard no_grad;
    return tensor_to_video(m.stack.reconstruct(m.real0, level), m.fps);
  });
}

Video VideogenModel::training_clip() const {
  return tensor_to_video(impl_->real_last, impl_->fps);
}

const ModelInfo& VideogenModel::info() const {
  return impl_->info;
}
double VideogenModel::resolved_temperature(double temperature) const {
  return temperature < 0 ? impl_->params.sample_temperature : temperature;
}

double VideogenModel::resolved_layout(double layout) const {
  return layout < 0 ? impl_->params.sample_layout : layout;
}

const VideogenParams& VideogenModel::params() const {
  return impl_->params;
}
int VideogenModel::trained_levels() const {
  return impl_->stack.trained();
}
std::string VideogenModel::device() const {
  return impl_->device.str();
}

std::vector<VideogenLevelInfo> VideogenModel::levels() const {
  std::vector<VideogenLevelInfo> out;
  const auto& stack = impl_->stack;
  for (int k = 0; k < static_cast<int>(stack.sizes.size()); ++k) {
    const videogen::LevelSize s = stack.sizes[k];
    out.push_back({s.width, s.height, s.frames, k < impl_->params.vae_levels,
                   k < stack.trained() ? stack.amps[k] : 0.0});
  }
  return out;
}

}  // namespace atelier
