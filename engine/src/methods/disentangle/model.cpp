// DisentangleModel: inference operations on a trained (or resumable) disentangle model file.
#include <torch/torch.h>

#include <string>

#include "atelier/error.h"
#include "core/guard.h"
#include "core/tensor_image.h"
#include "methods/disentangle/checkpoint.h"
#include "methods/disentangle/latent.h"
#include "methods/disentangle/loaded.h"

namespace atelier {

using disentangle::Codes;

struct DisentangleModel::Impl {
  disentangle::Loaded m;
  DisentangleParams params;
};

DisentangleModel::DisentangleModel(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

DisentangleModel DisentangleModel::load(const std::string& path, const ComputeOptions& compute) {
  return guarded("loading disentangle model " + path, [&] {
    auto impl = std::make_shared<Impl>();
    impl->m = disentangle::load_model(
        path, compute, disentangle::kMethod, disentangle::Composition::Render,
        [](const nlohmann::json& json, const std::string& source) {
          return DisentangleParams::from_json(json, source);
        });
    impl->params = impl->m.nets->params();
    return DisentangleModel(std::move(impl));
  });
}

namespace {

void check_strength(double s) {
  if (!(s >= 0 && s <= 2)) {
    throw usage_error("attribute strength must lie in [0, 2], not " + std::to_string(s));
  }
}

}  // namespace

DisentangleCodes DisentangleModel::encode(const Image& image) const {
  return guarded("disentangle encode", [&] {
    torch::NoGradGuard no_grad;
    return disentangle::to_public(impl_->m.encode(image));
  });
}

Image DisentangleModel::generate(const DisentangleCodes& codes) const {
  return guarded("disentangle generate", [&] {
    torch::NoGradGuard no_grad;
    const auto& m = impl_->m;
    const torch::Tensor common =
        disentangle::from_latent(codes.common, m.common_shape(), m.device, "common");
    const torch::Tensor a = disentangle::from_latent(codes.a, m.separate_shape(), m.device, "A");
    const torch::Tensor b = disentangle::from_latent(codes.b, m.separate_shape(), m.device, "B");
    return tensor_to_image(m.ops().generate(common, a, b));
  });
}

Image DisentangleModel::reconstruct(const Image& image) const {
  return guarded("disentangle reconstruction", [&] {
    torch::NoGradGuard no_grad;
    const auto& m = impl_->m;
    const torch::Tensor x = m.input(image);
    return tensor_to_image(m.ops().reconstruct(x, m.ops().encode(x)));
  });
}

Image DisentangleModel::transfer(const Image& from, const Image& onto, Attribute attribute) const {
  return guarded("disentangle transfer", [&] {
    torch::NoGradGuard no_grad;
    const auto& m = impl_->m;
    const torch::Tensor target = m.input(onto);
    const auto ops = m.ops();
    return tensor_to_image(ops.transfer(m.encode(from), target, ops.encode(target), attribute));
  });
}

Image DisentangleModel::remove(const Image& image) const {
  return guarded("disentangle removal", [&] {
    torch::NoGradGuard no_grad;
    const auto& m = impl_->m;
    const torch::Tensor x = m.input(image);
    return tensor_to_image(m.ops().remove(x, m.ops().encode(x)));
  });
}

Image DisentangleModel::strength(const Image& image, Attribute attribute, double s) const {
  return guarded("disentangle strength", [&] {
    check_strength(s);
    torch::NoGradGuard no_grad;
    const auto& m = impl_->m;
    const torch::Tensor x = m.input(image);
    return tensor_to_image(m.ops().strength(x, m.ops().encode(x), attribute, s));
  });
}

std::vector<Image> DisentangleModel::interpolate(const Image& from, const Image& to, int steps,
                                                 CodePart part) const {
  return guarded("disentangle interpolation", [&] {
    const std::vector<double> ts = disentangle::interpolation_steps(steps);
    torch::NoGradGuard no_grad;
    const auto& m = impl_->m;
    const Codes x = m.encode(from), y = m.encode(to);
    auto mix = [](const torch::Tensor& p, const torch::Tensor& q, double t, bool on) {
      return on ? torch::lerp(p, q, t) : p;
    };
    std::vector<Image> frames;
    for (double t : ts) {
      const bool all = part == CodePart::All;
      frames.push_back(tensor_to_image(m.ops().generate(
          mix(x.common, y.common, t, all || part == CodePart::Common),
          mix(x.a, y.a, t, all || part == CodePart::A), mix(x.b, y.b, t, all || part == CodePart::B))));
    }
    return frames;
  });
}

std::vector<Image> DisentangleModel::interpolation_grid(const Image& from, const Image& to,
                                                        int rows, int columns) const {
  return guarded("disentangle interpolation grid", [&] {
    const std::vector<double> down = disentangle::interpolation_steps(rows);
    const std::vector<double> across = disentangle::interpolation_steps(columns);
    torch::NoGradGuard no_grad;
    const auto& m = impl_->m;
    const Codes x = m.encode(from), y = m.encode(to);
    std::vector<Image> cells;
    for (double r : down) {
      const torch::Tensor common = torch::lerp(x.common, y.common, r);
      for (double c : across) {
        cells.push_back(tensor_to_image(
            m.ops().generate(common, torch::lerp(x.a, y.a, c), torch::lerp(x.b, y.b, c))));
      }
    }
    return cells;
  });
}

Attribute DisentangleModel::dominant_attribute(const Image& image) const {
  return guarded("disentangle encode", [&] {
    torch::NoGradGuard no_grad;
    return impl_->m.dominant(impl_->m.encode(image));
  });
}

const ModelInfo& DisentangleModel::info() const { return impl_->m.info; }
const DisentangleParams& DisentangleModel::params() const { return impl_->params; }
int DisentangleModel::image_size() const { return impl_->m.size; }
std::string DisentangleModel::device() const { return impl_->m.device.str(); }

}  // namespace atelier
