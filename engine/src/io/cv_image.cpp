#include "io/cv_image.h"

#include <opencv2/imgproc.hpp>

#include <cstring>

#include "atelier/error.h"

namespace atelier::io {

cv::Mat wrap_pixels(const Image& image) {
  if (image.empty()) return cv::Mat();
  auto* data = const_cast<std::uint8_t*>(image.pixels.data());
  return cv::Mat(image.height, image.width, CV_8UC(image.channels), data, image.stride());
}

Image copy_pixels(const cv::Mat& mat) {
  if (mat.empty()) return Image();
  if (mat.depth() != CV_8U || mat.dims != 2) {
    throw Error(ErrorKind::Internal, "copy_pixels: expected an 8-bit 2-D matrix");
  }
  Image image(mat.cols, mat.rows, mat.channels());
  const std::size_t row_bytes = image.stride();
  for (int y = 0; y < mat.rows; ++y) std::memcpy(image.row(y), mat.ptr(y), row_bytes);
  return image;
}

Image image_from_bgr(const cv::Mat& source) {
  if (source.empty()) return Image();
  cv::Mat mat = source;
  if (mat.depth() == CV_16U) {
    mat.convertTo(mat, CV_8U, 1.0 / 257.0);
  } else if (mat.depth() == CV_32F || mat.depth() == CV_64F) {
    mat.convertTo(mat, CV_8U, 255.0);
  } else if (mat.depth() != CV_8U) {
    mat.convertTo(mat, CV_8U);
  }
  cv::Mat ordered;
  switch (mat.channels()) {
    case 1:
      ordered = mat;
      break;
    case 2: {  // grey + alpha: expand the grey, keep the alpha
      std::vector<cv::Mat> planes;
      cv::split(mat, planes);
      cv::Mat rgba[] = {planes[0], planes[0], planes[0], planes[1]};
      cv::merge(rgba, 4, ordered);
      break;
    }
    case 3:
      cv::cvtColor(mat, ordered, cv::COLOR_BGR2RGB);
      break;
    case 4:
      cv::cvtColor(mat, ordered, cv::COLOR_BGRA2RGBA);
      break;
    default:
      throw Error(ErrorKind::BadInput,
                  "unsupported channel count " + std::to_string(mat.channels()));
  }
  return copy_pixels(ordered);
}

cv::Mat bgr_from_image(const Image& image) {
  cv::Mat view = wrap_pixels(image);
  cv::Mat out;
  switch (image.channels) {
    case 1:
      out = view.clone();
      break;
    case 3:
      cv::cvtColor(view, out, cv::COLOR_RGB2BGR);
      break;
    case 4:
      cv::cvtColor(view, out, cv::COLOR_RGBA2BGRA);
      break;
    default:
      throw usage_error("image with " + std::to_string(image.channels) +
                        " channels cannot be converted (1, 3 or 4 expected)");
  }
  return out;
}

int interpolation_for(int from_width, int from_height, int to_width, int to_height) {
  const bool shrinking = to_width <= from_width && to_height <= from_height;
  return shrinking ? cv::INTER_AREA : cv::INTER_CUBIC;
}

}  // namespace atelier::io
