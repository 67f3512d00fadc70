#include "core/image_batch.h"

#include <torch/torch.h>

#include <string>

#include "atelier/error.h"

namespace atelier {

torch::Tensor pack_image_bytes(const std::vector<Image>& images) {
  if (images.empty()) return torch::empty({0, 3, 0, 0}, torch::kUInt8);
  const int w = images.front().width, h = images.front().height;
  torch::Tensor out =
      torch::empty({static_cast<std::int64_t>(images.size()), 3, h, w}, torch::kUInt8);
  for (std::size_t i = 0; i < images.size(); ++i) {
    const Image& image = images[i];
    if (image.width != w || image.height != h || image.channels != 3) {
      throw bad_input("image " + std::to_string(i) + " is " + std::to_string(image.width) + "x" +
                      std::to_string(image.height) + " px with " + std::to_string(image.channels) +
                      " channels, not " + std::to_string(w) + "x" + std::to_string(h) +
                      " RGB like the first");
    }
    const torch::Tensor hwc =
        torch::from_blob(const_cast<std::uint8_t*>(image.pixels.data()), {h, w, 3}, torch::kUInt8);
    out[static_cast<std::int64_t>(i)].copy_(hwc.permute({2, 0, 1}));
  }
  return out;
}

torch::Tensor bytes_to_float(const torch::Tensor& bytes, const torch::Device& device) {
  return bytes.to(device).to(torch::kFloat).div_(127.5).sub_(1.0);
}

torch::Tensor sample_batch(const torch::Tensor& set, int batch, bool flip,
                           const torch::Device& device) {
  return gather_batch(set, draw_batch_rows(set.size(0), batch, flip), device);
}

BatchDraw draw_batch_rows(std::int64_t total, int batch, bool flip) {
  const torch::Tensor rows = torch::randint(total, {batch}, torch::kLong);
  torch::Tensor flips = torch::zeros({batch}, torch::kBool);
  if (flip) flips = torch::rand({batch}) < 0.5;
  return {rows, flips};
}

torch::Tensor gather_batch(const torch::Tensor& set, const BatchDraw& draw,
                           const torch::Device& device) {
  torch::Tensor x = bytes_to_float(set.index_select(0, draw.rows), device);
  const torch::Tensor flipped = draw.flips.view({-1, 1, 1, 1}).to(device);
  return torch::where(flipped, x.flip({3}), x);
}

}  // namespace atelier
