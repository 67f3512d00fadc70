#include "methods/padain/corruptions.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/nn/functional/conv.h>
#include <torch/nn/functional/padding.h>
#include <torch/nn/functional/pooling.h>
#include <torch/nn/functional/upsampling.h>
#include <torch/torch.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <array>
#include <cmath>
#include <cstring>
#include <functional>
#include <vector>

#include "atelier/error.h"
#include "atelier/padain.h"
#include "methods/padain/data.h"

namespace atelier {
namespace padain {
namespace {

namespace F = torch::nn::functional;
using Strengths = std::array<double, kPadainSeverities>;

// x: N x C x H x W float in [0, 1]; s: severity index 0..4.
using Corruption = std::function<torch::Tensor(const torch::Tensor& x, int s, at::Generator& g)>;

torch::Tensor gaussian_noise(const torch::Tensor& x, int s, at::Generator& g) {
  static const Strengths sigma = {0.08, 0.12, 0.18, 0.26, 0.38};
  return x + torch::randn(x.sizes(), g, x.options()) * sigma[s];
}

// Photon counts: Poisson with a mean of x * photons, fewer photons at higher severity.
torch::Tensor shot_noise(const torch::Tensor& x, int s, at::Generator& g) {
  static const Strengths photons = {60, 25, 12, 5, 3};
  return torch::poisson(x * photons[s], g) / photons[s];
}

// Salt and pepper: one uniform draw per pixel, so the pixels hit at a severity are also hit at
// every higher one.
torch::Tensor impulse_noise(const torch::Tensor& x, int s, at::Generator& g) {
  static const Strengths amount = {0.03, 0.06, 0.09, 0.17, 0.27};
  const torch::Tensor u = torch::rand({x.size(0), 1, x.size(2), x.size(3)}, g, x.options());
  const double half = amount[s] / 2;
  return torch::where(u < half, torch::zeros_like(x),
                      torch::where(u > 1 - half, torch::ones_like(x), x));
}

// Each image filtered with its own k x k kernel (kernels: N x k x k), borders reflected.
torch::Tensor filter_each(const torch::Tensor& x, const torch::Tensor& kernels) {
  const auto n = x.size(0), c = x.size(1), k = kernels.size(-1);
  const torch::Tensor weight =
      kernels.unsqueeze(1).repeat_interleave(c, 0).to(x.dtype());  // (N*C) x 1 x k x k
  const auto pad = k / 2;
  const torch::Tensor padded =
      F::pad(x.reshape({1, n * c, x.size(2), x.size(3)}),
             F::PadFuncOptions({pad, pad, pad, pad}).mode(torch::kReflect));
  return F::conv2d(padded, weight, F::Conv2dFuncOptions().groups(n * c)).reshape(x.sizes());
}

// A lens out of focus: a disc of the given radius, its edge anti-aliased by 4x4 supersampling.
torch::Tensor defocus_blur(const torch::Tensor& x, int s, at::Generator&) {
  static const Strengths radius = {1.0, 1.5, 2.0, 2.5, 3.0};
  const int reach = static_cast<int>(std::ceil(radius[s]));
  const int k = 2 * reach + 1;
  torch::Tensor disc = torch::zeros({k, k});
  auto d = disc.accessor<float, 2>();
  for (int y = 0; y < k; ++y)
    for (int x = 0; x < k; ++x)
      for (int sy = 0; sy < 4; ++sy)
        for (int sx = 0; sx < 4; ++sx) {
          const double dy = y - reach + (sy + 0.5) / 4 - 0.5;
          const double dx = x - reach + (sx + 0.5) / 4 - 0.5;
          if (dx * dx + dy * dy <= radius[s] * radius[s]) d[y][x] += 1.0f / 16;
        }
  disc /= disc.sum();
  return filter_each(x, disc.expand({x.size(0), k, k}));
}

// A shaking camera: a line of the given length through the centre, at one random angle per image
// (the same angle at every severity), drawn by bilinear splatting.
torch::Tensor motion_blur(const torch::Tensor& x, int s, at::Generator& g) {
  static const Strengths length = {2, 4, 6, 8, 10};
  const auto n = x.size(0);
  const torch::Tensor angles = torch::rand({n}, g, torch::kDouble) * M_PI;
  const int reach = static_cast<int>(std::ceil(length[s] / 2)) + 1;
  const int k = 2 * reach + 1;
  torch::Tensor kernels = torch::zeros({n, k, k});
  auto kk = kernels.accessor<float, 3>();
  const auto a = angles.accessor<double, 1>();
  const int samples = static_cast<int>(8 * length[s]) + 1;
  for (std::int64_t i = 0; i < n; ++i) {
    for (int j = 0; j < samples; ++j) {
      const double t = length[s] * (static_cast<double>(j) / (samples - 1) - 0.5);
      const double px = reach + t * std::cos(a[i]);
      const double py = reach + t * std::sin(a[i]);
      const int x0 = static_cast<int>(std::floor(px)), y0 = static_cast<int>(std::floor(py));
      const double fx = px - x0, fy = py - y0;
      kk[i][y0][x0] += static_cast<float>((1 - fx) * (1 - fy));
      kk[i][y0][x0 + 1] += static_cast<float>(fx * (1 - fy));
      kk[i][y0 + 1][x0] += static_cast<float>((1 - fx) * fy);
      kk[i][y0 + 1][x0 + 1] += static_cast<float>(fx * fy);
    }
  }
  kernels /= kernels.sum({1, 2}, true);
  return filter_each(x, kernels);
}

torch::Tensor brightness(const torch::Tensor& x, int s, at::Generator&) {
  static const Strengths shift = {0.1, 0.2, 0.3, 0.4, 0.5};
  return x + shift[s];
}

torch::Tensor contrast(const torch::Tensor& x, int s, at::Generator&) {
  static const Strengths keep = {0.4, 0.3, 0.2, 0.1, 0.05};  // ImageNet-C's factors
  const torch::Tensor mean = x.mean({1, 2, 3}, true);
  return (x - mean) * keep[s] + mean;
}

// Fog-like haze: a smooth, uneven light veil (bilinear from a 4x4 random grid, 0.6 to 1.0)
// laid over the image with a growing opacity.
torch::Tensor haze(const torch::Tensor& x, int s, at::Generator& g) {
  static const Strengths opacity = {0.15, 0.3, 0.45, 0.6, 0.75};
  const torch::Tensor grid = 0.6 + 0.4 * torch::rand({x.size(0), 1, 4, 4}, g, x.options());
  const torch::Tensor veil =
      F::interpolate(grid, F::InterpolateFuncOptions()
                               .size(std::vector<std::int64_t>{x.size(2), x.size(3)})
                               .mode(torch::kBilinear)
                               .align_corners(false));
  return x * (1 - opacity[s]) + veil * opacity[s];
}

// Box-averaged down to a fraction of the size, then blown up with nearest neighbours. (At 28 px
// a fraction of 0.6, 17 px, distorted more than 0.5, 14 px, whose blocks align: the fractions
// start at 0.5 so that a higher severity always distorts more.)
torch::Tensor pixelate(const torch::Tensor& x, int s, at::Generator&) {
  static const Strengths fraction = {0.5, 0.4, 0.33, 0.25, 0.2};
  const auto h = x.size(2), w = x.size(3);
  const std::int64_t sh = std::max<std::int64_t>(1, std::llround(h * fraction[s]));
  const std::int64_t sw = std::max<std::int64_t>(1, std::llround(w * fraction[s]));
  const torch::Tensor small = F::adaptive_avg_pool2d(x, F::AdaptiveAvgPool2dFuncOptions({sh, sw}));
  return F::interpolate(
      small,
      F::InterpolateFuncOptions().size(std::vector<std::int64_t>{h, w}).mode(torch::kNearest));
}

// JPEG at ImageNet-C's qualities, through OpenCV's encoder and decoder; on 8-bit images.
torch::Tensor jpeg(const torch::Tensor& images, int s) {
  static const std::array<int, kPadainSeverities> quality = {25, 18, 15, 10, 7};
  const auto n = images.size(0), c = images.size(1), h = images.size(2), w = images.size(3);
  if (c != 1 && c != 3) throw usage_error("JPEG corruption: images must be grey or RGB");
  const torch::Tensor hwc = images.permute({0, 2, 3, 1}).contiguous();
  torch::Tensor out = torch::empty_like(hwc);
  const std::vector<int> params = {cv::IMWRITE_JPEG_QUALITY, quality[s]};
  for (std::int64_t i = 0; i < n; ++i) {
    cv::Mat mat(static_cast<int>(h), static_cast<int>(w), CV_8UC(static_cast<int>(c)),
                hwc[i].data_ptr<std::uint8_t>());
    if (c == 3) cv::cvtColor(mat, mat, cv::COLOR_RGB2BGR);
    std::vector<std::uint8_t> bytes;
    cv::imencode(".jpg", mat, bytes, params);
    cv::Mat decoded = cv::imdecode(bytes, c == 3 ? cv::IMREAD_COLOR : cv::IMREAD_GRAYSCALE);
    if (c == 3) cv::cvtColor(decoded, decoded, cv::COLOR_BGR2RGB);
    std::memcpy(out[i].data_ptr<std::uint8_t>(), decoded.data, static_cast<std::size_t>(h * w * c));
  }
  return out.permute({0, 3, 1, 2}).contiguous();
}

const std::vector<std::pair<std::string, Corruption>>& float_corruptions() {
  static const std::vector<std::pair<std::string, Corruption>> all = {
      {"gaussian_noise", gaussian_noise},
      {"shot_noise", shot_noise},
      {"impulse_noise", impulse_noise},
      {"defocus_blur", defocus_blur},
      {"motion_blur", motion_blur},
      {"brightness", brightness},
      {"contrast", contrast},
      {"haze", haze},
      {"pixelate", pixelate}};
  return all;
}

}  // namespace

torch::Tensor corrupt(const torch::Tensor& images, const std::string& name, int severity,
                      std::uint64_t seed) {
  if (severity < 1 || severity > kPadainSeverities) {
    throw usage_error("corruption severity must be 1 to 5, not " + std::to_string(severity));
  }
  if (images.dim() != 4 || images.scalar_type() != torch::kUInt8) {
    throw usage_error("corruptions take N x C x H x W 8-bit images");
  }
  const int s = severity - 1;
  if (name == "jpeg") return jpeg(images, s);
  const auto& all = float_corruptions();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].first != name) continue;
    // Each corruption its own stream, the same at every severity.
    at::Generator g = at::detail::createCPUGenerator(seed * 1000003ULL + i);
    const torch::Tensor x = images.to(torch::kFloat) / 255;
    return (all[i].second(x, s, g).clamp(0, 1) * 255).round().to(torch::kUInt8);
  }
  throw usage_error("unknown corruption '" + name + "'");
}

}  // namespace padain

std::vector<Image> corrupt_images(const std::vector<Image>& images, const std::string& name,
                                  int severity, std::uint64_t seed) {
  if (images.empty()) return {};
  const int channels = images.front().channels >= 3 ? 3 : 1;
  const torch::Tensor batch = padain::to_uint8_batch(images, channels, "the images to corrupt");
  return padain::to_images(padain::corrupt(batch, name, severity, seed));
}

const std::vector<std::string>& padain_corruption_names() {
  static const std::vector<std::string> names = {
      "gaussian_noise", "shot_noise", "impulse_noise", "defocus_blur", "motion_blur",
      "brightness",     "contrast",   "haze",          "pixelate",     "jpeg"};
  return names;
}

}  // namespace atelier
