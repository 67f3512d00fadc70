// OneshotModel: inference operations on a trained (or resumable) oneshot model file.
#include <torch/torch.h>

#include <string>

#include "atelier/error.h"
#include "core/device.h"
#include "core/guard.h"
#include "core/tensor_image.h"
#include "methods/oneshot/checkpoint.h"
#include "methods/oneshot/data.h"

namespace atelier {

using oneshot::Domain;

struct OneshotModel::Impl {
  ModelInfo info;
  OneshotParams params;
  int phase = 1;
  torch::Device device{torch::kCPU};
  oneshot::OneshotNets nets{nullptr};
  torch::Tensor a_image;  // phase II

  // The networks to run (a holder copy: inference needs no const access to the module).
  oneshot::OneshotNets run() const { return nets; }
  torch::Tensor input(const Image& image) const {
    return image_to_tensor(oneshot::fit_image(image, params.image_size), device);
  }
  void require_a_side(const std::string& operation) const {
    if (phase != 2) {
      throw usage_error(info.path + ": " + operation +
                        " needs a phase II model (train oneshot --base " + info.path +
                        " --a-image ...); this is the phase I autoencoder of B");
    }
  }
};

OneshotModel::OneshotModel(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

OneshotModel OneshotModel::load(const std::string& path, const ComputeOptions& compute) {
  return guarded("loading oneshot model " + path, [&] {
    auto impl = std::make_shared<Impl>();
    apply_compute_options(compute);
    impl->device = resolve_device(compute);
    const RawModelArchive archive = read_raw_model_archive(path, oneshot::kMethod);
    impl->info = archive.info;
    impl->params = oneshot::stored_params(archive);
    impl->phase = oneshot::stored_state(archive).phase;
    impl->nets = oneshot::load_nets(archive, impl->params, impl->phase, impl->device);
    if (impl->phase == 2) {
      impl->a_image = oneshot::get_a_image(archive, impl->params.image_size, impl->device);
    }
    return OneshotModel(std::move(impl));
  });
}

Image OneshotModel::translate(const Image& image, OneshotDomain from) const {
  return guarded("oneshot translation", [&] {
    impl_->require_a_side("translation");
    torch::NoGradGuard no_grad;
    return tensor_to_image(impl_->run()->translate(impl_->input(image), from));
  });
}

Image OneshotModel::reconstruct(const Image& image, OneshotDomain domain) const {
  return guarded("oneshot reconstruction", [&] {
    if (domain == Domain::A) impl_->require_a_side("the reconstruction of A");
    torch::NoGradGuard no_grad;
    oneshot::OneshotNets nets = impl_->run();
    return tensor_to_image(nets->decode(nets->encode(impl_->input(image), domain), domain));
  });
}

Image OneshotModel::cycle(const Image& a_image) const {
  return guarded("oneshot cycle", [&] {
    impl_->require_a_side("the cycle A->B->A");
    torch::NoGradGuard no_grad;
    oneshot::OneshotNets nets = impl_->run();
    return tensor_to_image(
        nets->translate(nets->translate(impl_->input(a_image), Domain::A), Domain::B));
  });
}

std::vector<Image> OneshotModel::translate_all(const std::vector<Image>& images,
                                               OneshotDomain from) const {
  return guarded("oneshot translation", [&] {
    impl_->require_a_side("translation");
    torch::NoGradGuard no_grad;
    constexpr std::size_t kChunk = 64;
    std::vector<Image> out;
    for (std::size_t i = 0; i < images.size(); i += kChunk) {
      std::vector<Image> chunk;
      for (std::size_t j = i; j < std::min(images.size(), i + kChunk); ++j) {
        chunk.push_back(oneshot::fit_image(images[j], impl_->params.image_size));
      }
      const torch::Tensor x = images_to_tensor(chunk, impl_->device);
      for (Image& image : tensor_to_images(impl_->run()->translate(x, from))) {
        out.push_back(std::move(image));
      }
    }
    return out;
  });
}

int OneshotModel::phase() const {
  return impl_->phase;
}

Image OneshotModel::a_image() const {
  impl_->require_a_side("the A image");
  return tensor_to_image(impl_->a_image);
}

const ModelInfo& OneshotModel::info() const {
  return impl_->info;
}
const OneshotParams& OneshotModel::params() const {
  return impl_->params;
}
int OneshotModel::image_size() const {
  return impl_->params.image_size;
}
std::string OneshotModel::device() const {
  return impl_->device.str();
}

}  // namespace atelier
