// MasktransferModel: pass-through operations on a trained (or resumable) masktransfer file.
#include <torch/torch.h>

#include <mutex>
#include <string>

#include "atelier/error.h"
#include "atelier/masktransfer.h"
#include "core/guard.h"
#include "core/tensor_image.h"
#include "methods/disentangle/latent.h"
#include "methods/disentangle/loaded.h"

namespace atelier {

using disentangle::Codes;
using disentangle::Ops;

struct MasktransferModel::Impl {
  disentangle::Loaded m;
  MasktransferParams params;

  // generate() paints edited codes over the image with its own attributes removed; a slider
  // moving over one image asks for that again on every move, so the last one is kept.
  mutable std::mutex guide_mutex;
  mutable Image guide_image;
  mutable torch::Tensor guide;

  torch::Tensor guide_of(const Image& image) const {
    std::lock_guard<std::mutex> lock(guide_mutex);
    if (!guide.defined() || guide_image.width != image.width ||
        guide_image.height != image.height || guide_image.pixels != image.pixels) {
      const torch::Tensor x = m.input(image);
      guide = m.ops().remove(x, m.ops().encode(x));
      guide_image = image;
    }
    return guide;
  }
};

namespace {

// A 1 x 1 x S x S mask in [0, 1] as a grey RGB image.
Image mask_image(const torch::Tensor& mask) {
  return tensor_to_image(mask.expand({mask.size(0), 3, mask.size(2), mask.size(3)}) * 2 - 1);
}

MaskedImage masked(const torch::Tensor& image, const torch::Tensor& mask) {
  return {tensor_to_image(image), mask_image(mask)};
}

}  // namespace

MasktransferModel::MasktransferModel(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

MasktransferModel MasktransferModel::load(const std::string& path, const ComputeOptions& compute) {
  return guarded("loading masktransfer model " + path, [&] {
    auto impl = std::make_shared<Impl>();
    MasktransferParams params;
    impl->m = disentangle::load_model(
        path, compute, "masktransfer", disentangle::Composition::PassThrough,
        [&params](const nlohmann::json& json, const std::string& source) {
          params = MasktransferParams::from_json(json, source);
          return static_cast<DisentangleParams>(params);
        });
    impl->params = params;
    return MasktransferModel(std::move(impl));
  });
}

DisentangleCodes MasktransferModel::encode(const Image& image) const {
  return guarded("masktransfer encode", [&] {
    torch::NoGradGuard no_grad;
    return disentangle::to_public(impl_->m.encode(image));
  });
}

MaskedImage MasktransferModel::reconstruct(const Image& image) const {
  return guarded("masktransfer reconstruction", [&] {
    torch::NoGradGuard no_grad;
    const auto& m = impl_->m;
    const torch::Tensor x = m.input(image);
    const Codes codes = m.ops().encode(x);
    return masked(m.ops().reconstruct(x, codes), Ops::attribute_mask(codes));
  });
}

MaskedImage MasktransferModel::transfer(const Image& from, const Image& onto,
                                        Attribute attribute) const {
  return guarded("masktransfer transfer", [&] {
    torch::NoGradGuard no_grad;
    const auto& m = impl_->m;
    const torch::Tensor target = m.input(onto);
    const auto ops = m.ops();
    torch::Tensor mask;
    const torch::Tensor out =
        ops.transfer(m.encode(from), target, ops.encode(target), attribute, &mask);
    return masked(out, mask);
  });
}

MaskedImage MasktransferModel::remove(const Image& image, double threshold) const {
  return guarded("masktransfer removal", [&] {
    if (threshold < 0) threshold = impl_->params.mask_threshold;
    if (threshold >= 1) throw usage_error("masktransfer: the mask threshold must be below 1");
    torch::NoGradGuard no_grad;
    const auto& m = impl_->m;
    const torch::Tensor x = m.input(image);
    const Codes codes = m.ops().encode(x);
    torch::Tensor mask = Ops::attribute_mask(codes);
    if (threshold > 0) mask = (mask > threshold).to(torch::kFloat);
    return masked(m.ops().remove(x, codes, threshold), mask);
  });
}

Image MasktransferModel::mask(const Image& image) const {
  return guarded("masktransfer mask", [&] {
    torch::NoGradGuard no_grad;
    return mask_image(Ops::attribute_mask(impl_->m.encode(image)));
  });
}

MaskedImage MasktransferModel::generate(const Image& image, const DisentangleCodes& codes) const {
  return guarded("masktransfer generate", [&] {
    torch::NoGradGuard no_grad;
    const auto& m = impl_->m;
    // The common code is checked too, though the layers go over the image's own background
    // (masktransfer's generator is always layered).
    disentangle::from_latent(codes.common, m.common_shape(), m.device, "common");
    const torch::Tensor a = disentangle::from_latent(codes.a, m.separate_shape(), m.device, "A");
    const torch::Tensor b = disentangle::from_latent(codes.b, m.separate_shape(), m.device, "B");
    auto& nets = m.ops().nets();
    const disentangle::Layer layer_a = nets.layer(a, Attribute::A);
    const disentangle::Layer layer_b = nets.layer(b, Attribute::B);
    const torch::Tensor out =
        disentangle::TransferNetsImpl::compose(impl_->guide_of(image), layer_a, layer_b);
    return masked(out, 1 - (1 - layer_a.alpha) * (1 - layer_b.alpha));
  });
}

MaskedImage MasktransferModel::strength(const Image& image, Attribute attribute, double s) const {
  return guarded("masktransfer strength", [&] {
    if (!(s >= 0 && s <= 2)) {
      throw usage_error("attribute strength must lie in [0, 2], not " + std::to_string(s));
    }
    torch::NoGradGuard no_grad;
    const auto& m = impl_->m;
    const torch::Tensor x = m.input(image);
    const Codes codes = m.ops().encode(x);
    const torch::Tensor out = m.ops().strength(x, codes, attribute, s);
    const torch::Tensor code = (attribute == Attribute::A ? codes.a : codes.b) * s;
    return masked(out, m.ops().nets().layer(code, attribute).alpha);
  });
}

std::vector<Image> MasktransferModel::interpolate(const Image& from, const Image& to, int steps,
                                                  CodePart part) const {
  return guarded("masktransfer interpolation", [&] {
    const std::vector<double> ts = disentangle::interpolation_steps(steps);
    torch::NoGradGuard no_grad;
    const auto& m = impl_->m;
    const auto ops = m.ops();
    const torch::Tensor x = m.input(from);
    const Codes cx = ops.encode(x), cy = m.encode(to);
    const torch::Tensor guide = part == CodePart::Common ? torch::Tensor() : ops.remove(x, cx);
    const bool all = part == CodePart::All;
    std::vector<Image> frames;
    for (double t : ts) {
      const torch::Tensor common =
          part == CodePart::Common ? torch::lerp(cx.common, cy.common, t) : cx.common;
      const torch::Tensor a = all || part == CodePart::A ? torch::lerp(cx.a, cy.a, t) : cx.a;
      const torch::Tensor b = all || part == CodePart::B ? torch::lerp(cx.b, cy.b, t) : cx.b;
      frames.push_back(tensor_to_image(ops.generate(common, a, b, guide)));
    }
    return frames;
  });
}

Attribute MasktransferModel::dominant_attribute(const Image& image) const {
  return guarded("masktransfer encode", [&] {
    torch::NoGradGuard no_grad;
    return impl_->m.dominant(impl_->m.encode(image));
  });
}

const ModelInfo& MasktransferModel::info() const {
  return impl_->m.info;
}
const MasktransferParams& MasktransferModel::params() const {
  return impl_->params;
}
int MasktransferModel::image_size() const {
  return impl_->m.size;
}
std::string MasktransferModel::device() const {
  return impl_->m.device.str();
}

}  // namespace atelier
