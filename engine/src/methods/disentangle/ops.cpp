#include "methods/disentangle/ops.h"

#include <torch/torch.h>

namespace atelier::disentangle {

torch::Tensor Ops::attribute_mask(const Codes& codes) {
  return 1 - (1 - codes.layer_a.alpha) * (1 - codes.layer_b.alpha);
}

torch::Tensor Ops::remove(const torch::Tensor& x, const Codes& codes, double threshold) const {
  const auto n = x.size(0);
  if (composition_ == Composition::Render || !nets_->layered()) {
    return nets_->generate(codes.common, nets_->zeros_a(n), nets_->zeros_b(n));
  }
  torch::Tensor mask = attribute_mask(codes);
  if (threshold > 0) mask = (mask > threshold).to(x.scalar_type());
  return mask * nets_->background(codes.common) + (1 - mask) * x;
}

torch::Tensor Ops::reconstruct(const torch::Tensor& x, const Codes& codes) const {
  if (composition_ == Composition::Render || !nets_->layered()) {
    return nets_->generate(codes.common, codes.a, codes.b);
  }
  return TransferNetsImpl::compose(x, codes.layer_a, codes.layer_b);
}

torch::Tensor Ops::transfer(const Codes& from, const torch::Tensor& onto, const Codes& onto_codes,
                            Attribute attribute, torch::Tensor* mask) const {
  const auto n = onto.size(0);
  const bool a = attribute == Attribute::A;
  const torch::Tensor code_a = a ? from.a : nets_->zeros_a(n);
  const torch::Tensor code_b = a ? nets_->zeros_b(n) : from.b;
  if (!nets_->layered()) {
    if (mask) *mask = torch::Tensor();
    return nets_->generate(onto_codes.common, code_a, code_b);
  }
  const Layer layer_a = a ? from.layer_a : nets_->layer(code_a, Attribute::A);
  const Layer layer_b = a ? nets_->layer(code_b, Attribute::B) : from.layer_b;
  if (mask) *mask = a ? layer_a.alpha : layer_b.alpha;
  const torch::Tensor guide = composition_ == Composition::Render
                                  ? nets_->background(onto_codes.common)
                                  : remove(onto, onto_codes);
  return TransferNetsImpl::compose(guide, layer_a, layer_b);
}

torch::Tensor Ops::strength(const torch::Tensor& x, const Codes& codes, Attribute attribute,
                            double s) const {
  const torch::Tensor a = attribute == Attribute::A ? codes.a * s : codes.a;
  const torch::Tensor b = attribute == Attribute::B ? codes.b * s : codes.b;
  if (composition_ == Composition::Render || !nets_->layered()) {
    return nets_->generate(codes.common, a, b);
  }
  return generate(codes.common, a, b, remove(x, codes));
}

torch::Tensor Ops::generate(const torch::Tensor& common, const torch::Tensor& a,
                            const torch::Tensor& b, const torch::Tensor& guide) const {
  if (!guide.defined() || !nets_->layered()) return nets_->generate(common, a, b);
  return TransferNetsImpl::compose(guide, nets_->layer(a, Attribute::A),
                                   nets_->layer(b, Attribute::B));
}

}  // namespace atelier::disentangle
