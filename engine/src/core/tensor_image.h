// Conversions between plain images and tensors. Inside the engine images are float tensors in
// [-1, 1], RGB, laid out N x 3 x H x W (videos: N x 3 x T x H x W).
#pragma once

#include <torch/types.h>

#include <vector>

#include "atelier/image.h"
#include "atelier/video.h"

namespace atelier {

// 1 x 3 x H x W float in [-1, 1] on `device`. Grey is replicated, alpha composited over white.
torch::Tensor image_to_tensor(const Image& image, const torch::Device& device = torch::kCPU);
// N x 3 x H x W from images of one size.
torch::Tensor images_to_tensor(const std::vector<Image>& images,
                               const torch::Device& device = torch::kCPU);
// From 3 x H x W or 1 x 3 x H x W (any device, any float type) in [-1, 1], clamped, rounded.
Image tensor_to_image(const torch::Tensor& tensor);
std::vector<Image> tensor_to_images(const torch::Tensor& batch);  // N x 3 x H x W

// 1 x 3 x T x H x W from a video's frames, and back.
torch::Tensor video_to_tensor(const Video& video, const torch::Device& device = torch::kCPU);
Video tensor_to_video(const torch::Tensor& tensor, double fps);

}  // namespace atelier
