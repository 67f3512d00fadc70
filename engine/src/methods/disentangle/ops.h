// The operations of a trained model on tensors (no gradients), shared by disentangle and
// masktransfer. Render: every output is drawn by the generator (disentangle). PassThrough: only
// the attribute masks change the input, the rest of the image passes unchanged (masktransfer).
#pragma once

#include <torch/types.h>

#include "methods/disentangle/networks.h"

namespace atelier::disentangle {

enum class Composition { Render, PassThrough };

class Ops {
 public:
  Ops(TransferNets nets, Composition composition) : nets_(nets), composition_(composition) {}

  TransferNetsImpl& nets() const { return *nets_; }
  Composition composition() const { return composition_; }

  Codes encode(const torch::Tensor& x) const { return nets_->encode(x); }

  // Where x's attributes are: 1 - (1 - alpha_A)(1 - alpha_B). Layered only.
  static torch::Tensor attribute_mask(const Codes& codes);

  // x with both attributes removed. PassThrough: `threshold` <= 0 uses the soft mask, else the
  // mask binarised at it. Render: G(Ec(x), 0, 0).
  torch::Tensor remove(const torch::Tensor& x, const Codes& codes, double threshold = 0) const;
  // G(Ec(x), EsA(x), EsB(x)); PassThrough: x's layers painted over x.
  torch::Tensor reconstruct(const torch::Tensor& x, const Codes& codes) const;
  // `from`'s attribute onto `onto`, whose own attributes go. `mask` (if given) receives the
  // painted attribute's mask (layered) or an undefined tensor.
  torch::Tensor transfer(const Codes& from, const torch::Tensor& onto, const Codes& onto_codes,
                         Attribute attribute, torch::Tensor* mask = nullptr) const;
  // x with one separate code scaled by s.
  torch::Tensor strength(const torch::Tensor& x, const Codes& codes, Attribute attribute,
                         double s) const;
  // G(common, a, b) for arbitrary codes; PassThrough with `guide` defined: the layers of a and
  // b over `guide` instead of the rendered background.
  torch::Tensor generate(const torch::Tensor& common, const torch::Tensor& a,
                         const torch::Tensor& b, const torch::Tensor& guide = {}) const;

 private:
  mutable TransferNets nets_;
  Composition composition_;
};

}  // namespace atelier::disentangle
