// AnalogyModel: inference operations on a trained (or resumable) analogy model file.
#include <string>
#include <tuple>

#include "atelier/analogy.h"
#include "atelier/error.h"
#include "core/device.h"
#include "core/guard.h"
#include "core/param_limits.h"
#include "core/tensor_image.h"
#include "methods/analogy/checkpoint.h"
#include "methods/analogy/networks.h"

namespace atelier {

struct AnalogyModel::Impl {
  ModelInfo info;
  AnalogyParams params;
  analogy::DomainStack a, b;
  int default_inject_ab = 0, default_inject_ba = 0;
  torch::Device device{torch::kCPU};

  const analogy::DomainStack& of(Domain d) const { return d == Domain::A ? a : b; }
  int last() const { return a.stack.trained() - 1; }

  void check_scale(int scale, const char* what) const {
    if (scale < 0 || scale > last()) {
      throw usage_error(std::string("analogy: ") + what + " " + std::to_string(scale) +
                        " is outside 0.." + std::to_string(last()));
    }
  }

  // `source` (1 x 3 x H x W at the finest trained size) enters the other domain's chain at scale
  // `inject`: translated there, then refined by the finer scales with seeded noise.
  int default_inject(Domain from) const {
    return from == Domain::A ? default_inject_ab : default_inject_ba;
  }

  // `source` (1 x 3 x H x W at the finest trained size) enters the other domain's chain at scale
  // `inject` (kModelInjection: the model's level for the direction): translated there, then
  // refined by the finer scales with seeded noise.
  torch::Tensor translate(const torch::Tensor& source, Domain from,
                          const AnalogyTranslateOptions& options) const {
    const int inject = options.inject == kModelInjection ? default_inject(from) : options.inject;
    check_scale(inject, "injection scale");
    const nn::GeneratorStack& target = of(from == Domain::A ? Domain::B : Domain::A).stack;
    const ScaleSize s = target.sizes[inject];
    const torch::Tensor start = resize_tensor(source, s.width, s.height).clamp(-1, 1);
    const auto noise = nn::draw_noise(target.sizes, inject + 1, last(), device,
                                      nn::seeded_generator(options.seed));
    return target.run(inject, last(), start, noise, target.sizes);
  }
};

AnalogyModel::AnalogyModel(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

AnalogyModel AnalogyModel::load(const std::string& path, const ComputeOptions& compute) {
  return guarded("loading analogy model " + path, [&] {
    auto impl = std::make_shared<Impl>();
    apply_compute_options(compute);
    impl->device = resolve_device(compute);
    const RawModelArchive archive = read_raw_model_archive(path, analogy::kMethod);
    impl->params = analogy::stored_params(archive);
    impl->a = analogy::get_domain(archive, Domain::A, impl->params, impl->device, true);
    impl->b = analogy::get_domain(archive, Domain::B, impl->params, impl->device, true);
    if (impl->a.stack.trained() != impl->b.stack.trained()) {
      throw bad_input(path +
                      ": not a usable analogy model: the domains have different scale counts");
    }
    impl->info = archive.info;
    std::tie(impl->default_inject_ab, impl->default_inject_ba) =
        analogy::stored_default_inject(archive, impl->a.stack.trained());
    return AnalogyModel(std::move(impl));
  });
}

Image AnalogyModel::translate(Domain from, const AnalogyTranslateOptions& options) const {
  return guarded("analogy translation", [&] {
    torch::NoGradGuard no_grad;
    const Impl& m = *impl_;
    return tensor_to_image(m.translate(m.of(from).reals[m.last()], from, options));
  });
}

Image AnalogyModel::translate(const Image& source, Domain from,
                              const AnalogyTranslateOptions& options) const {
  return guarded("analogy translation of an image", [&] {
    require_painting_size(source, "analogy");
    torch::NoGradGuard no_grad;
    const Impl& m = *impl_;
    const ScaleSize s = m.a.stack.sizes[m.last()];
    const torch::Tensor x = resize_tensor(image_to_tensor(source, m.device), s.width, s.height);
    return tensor_to_image(m.translate(x, from, options));
  });
}

Image AnalogyModel::sample(Domain domain, std::uint64_t seed, int start_scale) const {
  return guarded("analogy sample", [&] {
    torch::NoGradGuard no_grad;
    const Impl& m = *impl_;
    m.check_scale(start_scale, "start scale");
    const nn::GeneratorStack& stack = m.of(domain).stack;
    torch::Tensor below;
    if (start_scale > 0) below = stack.run(0, start_scale - 1, {}, stack.rec_plan(), stack.sizes);
    const auto noise =
        nn::draw_noise(stack.sizes, start_scale, m.last(), m.device, nn::seeded_generator(seed));
    return tensor_to_image(stack.run(start_scale, m.last(), below, noise, stack.sizes));
  });
}

Image AnalogyModel::reconstruct(Domain domain) const {
  return guarded("analogy reconstruction", [&] {
    torch::NoGradGuard no_grad;
    return tensor_to_image(impl_->of(domain).stack.reconstruct(impl_->last()));
  });
}

Image AnalogyModel::training_image(Domain domain) const {
  return tensor_to_image(impl_->of(domain).reals[impl_->last()]);
}

int AnalogyModel::default_inject(Domain from) const {
  return impl_->default_inject(from);
}

const ModelInfo& AnalogyModel::info() const {
  return impl_->info;
}
const AnalogyParams& AnalogyModel::params() const {
  return impl_->params;
}
int AnalogyModel::scales() const {
  return impl_->a.stack.trained();
}
std::vector<bool> AnalogyModel::residual_scales() const {
  std::vector<bool> out;
  for (const auto& g : impl_->a.stack.generators) out.push_back(g->options().residual);
  return out;
}
int AnalogyModel::width() const {
  return impl_->a.stack.sizes[impl_->last()].width;
}
int AnalogyModel::height() const {
  return impl_->a.stack.sizes[impl_->last()].height;
}
std::string AnalogyModel::device() const {
  return impl_->device.str();
}

}  // namespace atelier
