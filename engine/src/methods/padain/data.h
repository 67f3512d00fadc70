// The labelled sets of the robustness report as tensors, and the two other digit domains that
// test a model trained on MNIST: MNIST-M style digits and the OpenCV digits sheet.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "atelier/padain.h"

namespace atelier::padain {

// Images as N x channels x H x W uint8 (grey is replicated, RGB averaged to grey as needed) and
// labels as N int64. Error(BadInput) naming the source when sizes differ or a label is not 0..9.
struct LabelledTensors {
  torch::Tensor images;
  torch::Tensor labels;
  std::int64_t size() const { return labels.size(0); }
};
LabelledTensors to_tensors(const LabelledImages& set, int channels);
// Images of one size as N x channels x H x W uint8 (same conversions); `source` names them in
// errors. And back (grey or RGB images).
torch::Tensor to_uint8_batch(const std::vector<Image>& images, int channels,
                             const std::string& source);
std::vector<Image> to_images(const torch::Tensor& batch);

// `count` MNIST test digits (from the first ones on) blended with photo crops of
// `data_dir`/images as make-dataset mnistm does, 28 px, RGB; seeded.
LabelledImages mnistm_style_digits(const std::string& data_dir, int count, std::uint64_t seed);

// `count` digits of `data_dir`/digits/opencv-digits.png (5000 cells of 20x20 px, 500 per digit
// in row order), spread evenly over the sheet, each centred on 28x28 px as MNIST centres its
// 20x20 digits; grey.
LabelledImages opencv_sheet_digits(const std::string& data_dir, int count);

}  // namespace atelier::padain
