// atelier/masktransfer.h — Mask Based Unsupervised Content Transfer (Mokady et al., ICLR 2020).
//
// The networks of disentangle with the layered generator: each domain's separate code paints a
// colour layer and a soft mask. Unlike disentangle, the outputs are not drawn whole: a transfer or
// a removal changes only the masked area of a real image and passes the rest through unchanged,
// so the result keeps every detail the codes could not hold. The masks themselves are outputs
// (a weakly supervised segmentation of each domain's attribute).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "atelier/disentangle.h"

namespace atelier {

// DisentangleParams' keys plus the mask threshold. The generator must be "layered".
struct MasktransferParams : DisentangleParams {
  double mask_threshold = 0.5;  // default removal threshold: mask > it is replaced; 0: soft mask

  MasktransferParams();
  static MasktransferParams from_preset(const Preset& preset);
  static MasktransferParams from_json(const nlohmann::json& params, const std::string& source);
  nlohmann::json to_json() const;
};

TrainResult train_masktransfer(const TransferImages& images, const Preset& preset,
                               const TrainOptions& options, const Callbacks& callbacks = {});

struct MaskedImage {
  Image image;
  Image mask;  // RGB grey: 255 where the image was changed entirely, 0 where it passed through
};

class MasktransferModel {
 public:
  static MasktransferModel load(const std::string& path, const ComputeOptions& compute = {});

  DisentangleCodes encode(const Image& image) const;
  // x's own attribute layers painted back over x; the mask is where they are.
  MaskedImage reconstruct(const Image& image) const;
  // `from`'s attribute painted over `onto` (whose own attributes are removed first); the mask is
  // the painted attribute's.
  MaskedImage transfer(const Image& from, const Image& onto, Attribute attribute) const;
  // The masked area of x replaced by the background drawn from the common code. threshold < 0:
  // the model's mask_threshold; 0: the soft mask; in (0, 1): the mask binarised at it.
  MaskedImage remove(const Image& image, double threshold = -1) const;
  // Where x's attributes are (both domains'), as a grey image.
  Image mask(const Image& image) const;
  // Edited codes (from encode(), scaled or interpolated) rendered the masktransfer way: the
  // attribute layers of codes.a and codes.b painted over x with x's own attributes removed, the
  // removed area filled from codes.common. Error(BadInput) when a code's shape is not the model's.
  MaskedImage generate(const Image& image, const DisentangleCodes& codes) const;
  // One separate code scaled by s in [0, 2], painted over x with its attributes removed.
  MaskedImage strength(const Image& image, Attribute attribute, double s) const;
  // Separate codes (A, B or both with All) interpolated from `from`'s to `to`'s and painted over
  // `from` with its attributes removed; Common: the drawn images of interpolated common codes.
  std::vector<Image> interpolate(const Image& from, const Image& to, int steps,
                                 CodePart part) const;
  Attribute dominant_attribute(const Image& image) const;

  const ModelInfo& info() const;
  const MasktransferParams& params() const;
  int image_size() const;
  std::string device() const;

 private:
  struct Impl;
  explicit MasktransferModel(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

}  // namespace atelier
