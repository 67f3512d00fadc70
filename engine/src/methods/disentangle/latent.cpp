#include "methods/disentangle/latent.h"

#include <torch/torch.h>

#include "atelier/error.h"
#include "core/tensor_image.h"
#include "methods/disentangle/data.h"

namespace atelier::disentangle {

LatentCode to_latent(const torch::Tensor& code) {
  const torch::Tensor c = code.detach().to(torch::kCPU, torch::kFloat).contiguous();
  LatentCode out;
  out.shape.assign(c.sizes().begin() + 1, c.sizes().end());
  out.values.assign(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
  return out;
}

torch::Tensor from_latent(const LatentCode& code, const std::vector<std::int64_t>& expected,
                          const torch::Device& device, const std::string& what) {
  std::int64_t count = 1;
  for (auto d : expected) count *= d;
  if (code.shape != expected || static_cast<std::int64_t>(code.values.size()) != count) {
    std::string want;
    for (auto d : expected) want += (want.empty() ? "" : "x") + std::to_string(d);
    throw bad_input("disentangle: the " + what + " code does not have the model's shape " + want);
  }
  std::vector<std::int64_t> shape = {1};
  shape.insert(shape.end(), expected.begin(), expected.end());
  return torch::tensor(code.values, torch::kFloat).reshape(shape).to(device);
}

DisentangleCodes to_public(const Codes& codes) {
  return {to_latent(codes.common), to_latent(codes.a), to_latent(codes.b)};
}

torch::Tensor image_input(const Image& image, int size, const torch::Device& device) {
  return image_to_tensor(fit_image(image, size), device);
}

}  // namespace atelier::disentangle
