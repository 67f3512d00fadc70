// Plain images <-> float tensors in [-1, 1]. See tensor_image.h.
#include "core/tensor_image.h"

#include <cstring>

#include "atelier/error.h"

namespace atelier {
namespace {

std::string shape_of(const torch::Tensor& tensor) {
  std::string text;
  for (std::int64_t size : tensor.sizes()) text += (text.empty() ? "" : "x") + std::to_string(size);
  return text.empty() ? "scalar" : text;
}

// 3 x H x W uint8 on the CPU: a copy of the image's RGB pixels (grey and alpha resolved).
torch::Tensor rgb_bytes(const Image& image) {
  if (image.empty()) throw usage_error("image_to_tensor: the image is empty");
  Image converted;  // only filled for grey or RGBA input, to avoid copying RGB images
  if (image.channels != 3) converted = to_rgb(image);
  const Image& rgb = image.channels == 3 ? image : converted;
  if (rgb.pixels.size() != rgb.stride() * rgb.height) {
    throw usage_error("image_to_tensor: pixel buffer does not match the image size");
  }
  return torch::from_blob(const_cast<std::uint8_t*>(rgb.pixels.data()), {rgb.height, rgb.width, 3},
                          torch::kUInt8)
      .permute({2, 0, 1})
      .clone();
}

// uint8 -> float in [-1, 1] on `device` (the conversion happens there: bytes travel, not floats).
torch::Tensor to_unit_range(const torch::Tensor& bytes, const torch::Device& device) {
  return bytes.to(device).to(torch::kFloat).div_(127.5).sub_(1.0);
}

void check_same_size(const Image& image, const Image& first, std::size_t index, const char* what) {
  if (image.width != first.width || image.height != first.height) {
    throw usage_error(std::string(what) + ": image " + std::to_string(index) + " is " +
                      std::to_string(image.width) + "x" + std::to_string(image.height) +
                      ", the first is " + std::to_string(first.width) + "x" +
                      std::to_string(first.height));
  }
}

// A C x H x W tensor (C = 1 or 3) in [-1, 1] to 8-bit pixels.
Image chw_to_image(const torch::Tensor& chw) {
  const torch::Tensor bytes = torch::nan_to_num(chw.detach().to(torch::kCPU, torch::kFloat), 0.0)
                                  .clamp(-1.0, 1.0)
                                  .add(1.0)
                                  .mul(127.5)
                                  .round()
                                  .to(torch::kUInt8)
                                  .permute({1, 2, 0})
                                  .contiguous();
  Image image(static_cast<int>(chw.size(2)), static_cast<int>(chw.size(1)),
              static_cast<int>(chw.size(0)));
  std::memcpy(image.pixels.data(), bytes.data_ptr<std::uint8_t>(), image.pixels.size());
  return image;
}

}  // namespace

torch::Tensor image_to_tensor(const Image& image, const torch::Device& device) {
  return to_unit_range(rgb_bytes(image).unsqueeze(0), device);
}

torch::Tensor images_to_tensor(const std::vector<Image>& images, const torch::Device& device) {
  if (images.empty()) throw usage_error("images_to_tensor: no images");
  std::vector<torch::Tensor> planes;
  planes.reserve(images.size());
  for (std::size_t i = 0; i < images.size(); ++i) {
    check_same_size(images[i], images.front(), i, "images_to_tensor");
    planes.push_back(rgb_bytes(images[i]));
  }
  return to_unit_range(torch::stack(planes, 0), device);
}

Image tensor_to_image(const torch::Tensor& tensor) {
  torch::Tensor chw = tensor;
  if (chw.dim() == 4 && chw.size(0) == 1) chw = chw.squeeze(0);
  if (chw.dim() != 3 || (chw.size(0) != 3 && chw.size(0) != 1) || chw.size(1) < 1 ||
      chw.size(2) < 1 || !chw.is_floating_point()) {
    throw usage_error("tensor_to_image: expected a float 3xHxW or 1x3xHxW tensor, got " +
                      shape_of(tensor));
  }
  return chw_to_image(chw);
}

std::vector<Image> tensor_to_images(const torch::Tensor& batch) {
  if (batch.dim() != 4) {
    throw usage_error("tensor_to_images: expected an N x 3 x H x W tensor, got " + shape_of(batch));
  }
  std::vector<Image> images;
  images.reserve(batch.size(0));
  for (std::int64_t i = 0; i < batch.size(0); ++i) images.push_back(tensor_to_image(batch[i]));
  return images;
}

torch::Tensor video_to_tensor(const Video& video, const torch::Device& device) {
  if (video.empty()) throw usage_error("video_to_tensor: the video has no frames");
  std::vector<torch::Tensor> frames;
  frames.reserve(video.frames.size());
  for (std::size_t i = 0; i < video.frames.size(); ++i) {
    check_same_size(video.frames[i], video.frames.front(), i, "video_to_tensor");
    frames.push_back(rgb_bytes(video.frames[i]));
  }
  return to_unit_range(torch::stack(frames, 1).unsqueeze(0), device);  // 1 x 3 x T x H x W
}

Video tensor_to_video(const torch::Tensor& tensor, double fps) {
  torch::Tensor ctwh = tensor;
  if (ctwh.dim() == 5 && ctwh.size(0) == 1) ctwh = ctwh.squeeze(0);
  if (ctwh.dim() != 4 || ctwh.size(0) != 3) {
    throw usage_error("tensor_to_video: expected a 1 x 3 x T x H x W tensor, got " +
                      shape_of(tensor));
  }
  Video video;
  video.fps = fps;
  video.frames.reserve(ctwh.size(1));
  for (std::int64_t t = 0; t < ctwh.size(1); ++t) {
    video.frames.push_back(tensor_to_image(ctwh.select(1, t)));
  }
  return video;
}

}  // namespace atelier
