#include "methods/disentangle/loaded.h"

#include <torch/torch.h>

#include "atelier/error.h"
#include "core/device.h"
#include "methods/disentangle/checkpoint.h"
#include "methods/disentangle/latent.h"

namespace atelier::disentangle {

torch::Tensor Loaded::input(const Image& image) const { return image_input(image, size, device); }

Codes Loaded::encode(const Image& image) const { return ops().encode(input(image)); }

std::vector<std::int64_t> Loaded::common_shape() const {
  const auto& p = nets->params();
  return {p.common_channels, p.common_grid, p.common_grid};
}

std::vector<std::int64_t> Loaded::separate_shape() const {
  const auto& p = nets->params();
  return {p.separate_channels, p.separate_grid, p.separate_grid};
}

Attribute Loaded::dominant(const Codes& codes) const {
  return codes.a.abs().mean().item<double>() >= codes.b.abs().mean().item<double>() ? Attribute::A
                                                                                     : Attribute::B;
}

Loaded load_model(const std::string& path, const ComputeOptions& compute,
                  const std::string& method, Composition composition, const ParamsReader& read) {
  Loaded m;
  apply_compute_options(compute);
  m.device = resolve_device(compute);
  const RawModelArchive archive = read_raw_model_archive(path, method);
  const DisentangleParams params = read(archive.info.params, path + " (stored params)");
  m.nets = load_nets(archive, params, m.device);
  m.info = archive.info;
  m.composition = composition;
  m.size = params.image_size;
  return m;
}

std::vector<double> interpolation_steps(int steps) {
  if (steps < 2 || steps > 1000) {
    throw usage_error("interpolation needs 2 to 1000 steps, not " + std::to_string(steps));
  }
  std::vector<double> t;
  for (int i = 0; i < steps; ++i) t.push_back(double(i) / (steps - 1));
  return t;
}

}  // namespace atelier::disentangle
