// SinganModel: inference operations on a trained (or resumable) singan model file.
#include <cmath>
#include <string>

#include "atelier/error.h"
#include "atelier/singan.h"
#include "core/archive_tensors.h"
#include "core/device.h"
#include "core/guard.h"
#include "core/param_limits.h"
#include "core/tensor_image.h"
#include "io/memory_budget.h"
#include "methods/singan/checkpoint.h"
#include "methods/singan/networks.h"

namespace atelier {

struct SinganModel::Impl {
  ModelInfo info;
  SinganParams params;
  singan::GeneratorStack stack;
  torch::Device device{torch::kCPU};
  std::vector<ScaleSize> sizes;  // of the trained scales
  torch::Tensor real;            // the training image at the finest trained scale

  int last() const { return stack.trained() - 1; }

  std::vector<ScaleSize> target_sizes(int width, int height) const {
    if (width == 0 && height == 0) return sizes;
    const ScaleSize finest = sizes.back();
    if (width == 0)
      width = static_cast<int>(std::lround(height * double(finest.width) / finest.height));
    if (height == 0)
      height = static_cast<int>(std::lround(width * double(finest.height) / finest.width));
    constexpr int kMinSide = 8, kMaxSide = 8192;
    if (width < kMinSide || height < kMinSide || width > kMaxSide || height > kMaxSide) {
      throw usage_error("singan: a sample size must lie between " + std::to_string(kMinSide) +
                        " and " + std::to_string(kMaxSide) + " px, not " + std::to_string(width) +
                        "x" + std::to_string(height));
    }
    std::vector<ScaleSize> at = retarget_sizes(sizes, width, height);
    require_sampling_memory(at, 0);
    return at;
  }

  // Error(Usage) when drawing at `at` (and keeping `frames` such images) needs more memory than
  // the machine has.
  void require_sampling_memory(const std::vector<ScaleSize>& at, int frames) const {
    const auto width_of = [this](int k) { return stack.generators[k]->options().width; };
    const ScaleSize finest = at.back();
    const double bytes =
        nn::pyramid_sampling_bytes(at, width_of) + 3.0 * frames * finest.width * finest.height;
    const std::string size = std::to_string(finest.width) + "x" + std::to_string(finest.height);
    require_memory(
        bytes,
        frames > 0 ? "an animation of " + std::to_string(frames) + " frames at " + size
                   : "a singan sample of " + size,
        frames > 0
            ? "ask for fewer frames or a smaller size"
            : "ask for a smaller size (" +
                  nn::largest_fitting_size(finest, bytes, double(memory_available_bytes())) + ")");
  }

  // The options' noise gains applied to noise maps drawn for sizes `at`.
  void apply_noise_gain(std::vector<torch::Tensor>& noise,
                        const SinganSampleOptions& options) const {
    if (options.noise_gain.size() > noise.size()) {
      throw usage_error("singan: " + std::to_string(options.noise_gain.size()) +
                        " noise gains for a model of " + std::to_string(noise.size()) + " scales");
    }
    for (std::size_t k = 0; k < options.noise_gain.size(); ++k) {
      const double gain = options.noise_gain[k];
      if (!(gain >= 0 && gain <= 4))
        throw usage_error("singan: a noise gain must lie in [0, 4], not " + std::to_string(gain));
      if (noise[k].defined()) noise[k] = noise[k] * gain;
    }
  }

  void check_scale(int scale, const char* what) const {
    if (scale < 0 || scale > last()) {
      throw usage_error(std::string("singan: ") + what + " " + std::to_string(scale) +
                        " is outside 0.." + std::to_string(last()));
    }
  }

  // The image scale `start` refines when the scales below it follow the reconstruction.
  torch::Tensor reconstruction_below(int start) const {
    if (start == 0) return {};
    return stack.run(0, start - 1, {}, stack.rec_plan(), stack.sizes);
  }

  torch::Tensor generate(int start, const std::vector<ScaleSize>& at,
                         const std::vector<torch::Tensor>& noise) const {
    return stack.run(start, last(), reconstruction_below(start), noise, at);
  }
};

SinganModel::SinganModel(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

SinganModel SinganModel::load(const std::string& path, const ComputeOptions& compute) {
  return guarded("loading singan model " + path, [&] {
    auto impl = std::make_shared<Impl>();
    apply_compute_options(compute);
    impl->device = resolve_device(compute);
    const RawModelArchive archive = read_raw_model_archive(path, singan::kMethod);
    impl->params = singan::stored_params(archive);
    impl->stack = singan::get_stack(archive, impl->params, impl->device);
    impl->info = archive.info;
    impl->real =
        get_tensor(archive, "real." + std::to_string(impl->stack.trained() - 1), impl->device);
    impl->sizes.assign(impl->stack.sizes.begin(),
                       impl->stack.sizes.begin() + impl->stack.trained());
    return SinganModel(std::move(impl));
  });
}

Image SinganModel::sample(const SinganSampleOptions& options) const {
  return guarded("singan sample", [&] {
    torch::NoGradGuard no_grad;
    const Impl& m = *impl_;
    m.check_scale(options.start_scale, "start scale");
    const auto at = m.target_sizes(options.width, options.height);
    auto noise = singan::draw_noise(at, options.start_scale, m.last(), m.device,
                                    singan::seeded_generator(options.seed));
    m.apply_noise_gain(noise, options);
    return tensor_to_image(m.generate(options.start_scale, at, noise));
  });
}

Image SinganModel::reconstruct(int scale) const {
  return guarded("singan reconstruction", [&] {
    torch::NoGradGuard no_grad;
    const Impl& m = *impl_;
    if (scale < 0) scale = m.last();
    m.check_scale(scale, "scale");
    return tensor_to_image(m.stack.reconstruct(scale));
  });
}

Image SinganModel::interpolate(std::uint64_t seed_a, std::uint64_t seed_b, double t,
                               const SinganSampleOptions& options) const {
  return guarded("singan interpolation", [&] {
    if (!(t >= 0 && t <= 1)) throw usage_error("singan: interpolation t must lie in [0, 1]");
    torch::NoGradGuard no_grad;
    const Impl& m = *impl_;
    m.check_scale(options.start_scale, "start scale");
    const auto at = m.target_sizes(options.width, options.height);
    auto a = singan::draw_noise(at, options.start_scale, m.last(), m.device,
                                singan::seeded_generator(seed_a));
    const auto b = singan::draw_noise(at, options.start_scale, m.last(), m.device,
                                      singan::seeded_generator(seed_b));
    // Both are standard normal: cos/sin weights keep the mix standard normal along the way.
    const double angle = t * M_PI / 2;
    for (int k = options.start_scale; k <= m.last(); ++k) {
      a[k] = a[k] * std::cos(angle) + b[k] * std::sin(angle);
    }
    m.apply_noise_gain(a, options);
    return tensor_to_image(m.generate(options.start_scale, at, a));
  });
}

Video SinganModel::animate(int frames, const SinganAnimateOptions& options) const {
  return guarded("singan animation", [&] {
    if (frames < 1 || frames > 100000) throw usage_error("singan: frames must lie in 1..100000");
    const double rho = options.smoothness;
    if (!(rho >= 0 && rho < 1)) throw usage_error("singan: smoothness must lie in [0, 1)");
    if (!(options.anchor >= 0 && options.anchor <= 1)) {
      throw usage_error("singan: anchor must lie in [0, 1]");
    }
    if (!(options.fps > 0)) throw usage_error("singan: fps must be positive");
    torch::NoGradGuard no_grad;
    const Impl& m = *impl_;
    const int start = options.start_scale;
    m.check_scale(start, "start scale");
    const auto at = m.target_sizes(options.width, options.height);
    m.require_sampling_memory(at, frames);
    auto generator = singan::seeded_generator(options.seed);
    auto draw = [&] { return singan::draw_noise(at, start, m.last(), m.device, generator); };

    // A second-order random walk per noise map: the velocity v and the position z both follow
    // x_t = rho x_{t-1} + sqrt(1 - rho^2) input_t. z then moves smoothly and its stationary
    // variance is (1 + rho^2) / (1 - rho^2), divided out so that every frame sees unit noise.
    const double keep = std::sqrt(1 - rho * rho);
    const double z_std = std::sqrt((1 + rho * rho) / (1 - rho * rho));
    auto z = draw();
    auto v = draw();
    for (int k = start; k <= m.last(); ++k) z[k].mul_(z_std);
    auto advance = [&] {
      const auto n = draw();
      for (int k = start; k <= m.last(); ++k) {
        v[k].mul_(rho).add_(n[k], keep);
        z[k].mul_(rho).add_(v[k], keep);
      }
    };
    const int burn_in = std::min(500, static_cast<int>(std::ceil(5 / (1 - rho))));
    for (int i = 0; i < burn_in; ++i) advance();

    torch::Tensor anchor_noise;
    if (start == 0 && options.anchor > 0) {
      anchor_noise = resize_tensor(m.stack.rec_noise, at[0].width, at[0].height);
    }
    const torch::Tensor below = m.reconstruction_below(start);
    Video video;
    video.fps = options.fps;
    video.frames.reserve(frames);
    std::vector<torch::Tensor> noise(at.size());
    for (int f = 0; f < frames; ++f) {
      if (f > 0) advance();
      for (int k = start; k <= m.last(); ++k) noise[k] = z[k] / z_std;
      if (anchor_noise.defined()) {
        const double a = options.anchor;
        noise[0] = anchor_noise * a + noise[0] * std::sqrt(1 - a * a);
      }
      video.frames.push_back(tensor_to_image(m.stack.run(start, m.last(), below, noise, at)));
    }
    return video;
  });
}

Image SinganModel::paint(const Image& painting, int inject_scale, std::uint64_t seed) const {
  return guarded("singan paint-to-image", [&] {
    require_painting_size(painting, "singan");
    torch::NoGradGuard no_grad;
    const Impl& m = *impl_;
    m.check_scale(inject_scale, "inject scale");
    const ScaleSize s = m.sizes[inject_scale];
    const torch::Tensor start =
        resize_tensor(image_to_tensor(painting, m.device), s.width, s.height).clamp(-1, 1);
    const auto noise = singan::draw_noise(m.sizes, inject_scale, m.last(), m.device,
                                          singan::seeded_generator(seed));
    return tensor_to_image(m.stack.run(inject_scale, m.last(), start, noise, m.sizes));
  });
}

Image SinganModel::training_image() const {
  return tensor_to_image(impl_->real);
}

const ModelInfo& SinganModel::info() const {
  return impl_->info;
}
const SinganParams& SinganModel::params() const {
  return impl_->params;
}
int SinganModel::width() const {
  return impl_->sizes.back().width;
}
int SinganModel::height() const {
  return impl_->sizes.back().height;
}
std::string SinganModel::device() const {
  return impl_->device.str();
}

std::vector<SinganScaleInfo> SinganModel::scales() const {
  std::vector<SinganScaleInfo> out;
  const auto& stack = impl_->stack;
  for (int k = 0; k < stack.trained(); ++k) {
    out.push_back({impl_->sizes[k].width, impl_->sizes[k].height,
                   stack.generators[k]->options().width, stack.amps[k]});
  }
  return out;
}

}  // namespace atelier
