// Internal bridge between atelier::Image (RGB, packed rows) and cv::Mat (BGR, rows may be padded).
#pragma once

#include <opencv2/core.hpp>

#include "atelier/image.h"

namespace atelier::io {

// A Mat header over the image's own pixels (no copy, no channel swap). Stays valid while `image`
// lives and is not resized.
cv::Mat wrap_pixels(const Image& image);

// Copies any 8-bit Mat's rows (honouring its step) into an Image, without reordering channels.
Image copy_pixels(const cv::Mat& mat);

// File-order (BGR/BGRA, 8 or 16 bit, 1-4 channels) Mat to an RGB(A)/grey Image.
Image image_from_bgr(const cv::Mat& mat);
// RGB(A)/grey Image to a BGR(A)/grey Mat (a new buffer).
cv::Mat bgr_from_image(const Image& image);

// Area filter when shrinking, cubic when growing.
int interpolation_for(int from_width, int from_height, int to_width, int to_height);

}  // namespace atelier::io
