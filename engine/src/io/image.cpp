// Image files through OpenCV's imgcodecs; geometry through imgproc. See atelier/image.h.
#include "atelier/image.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "atelier/error.h"
#include "atelier/file_checks.h"
#include "io/atomic_file.h"
#include "io/cv_image.h"
#include "io/image_header.h"

namespace fs = std::filesystem;

namespace atelier {
namespace {

// Larger images are refused: 100 MP of RGBA is already 400 MB before any processing.
constexpr std::int64_t kMaxPixels = 100'000'000;
// A file larger than an uncompressed 100 MP RGBA bitmap cannot be a valid image we accept.
constexpr std::uintmax_t kMaxFileBytes = 450ull << 20;

void check_pixel_count(std::int64_t width, std::int64_t height, const std::string& name) {
  // Each side first: two 32-bit sides of a crafted header overflow their 64-bit product.
  if (width > 0 && height > 0 &&
      (width > kMaxPixels || height > kMaxPixels || width * height > kMaxPixels)) {
    throw bad_input(name + ": image is " + std::to_string(width) + "x" + std::to_string(height) +
                    " pixels; images above 100 megapixels are refused");
  }
}

Image composite_over_white(const Image& image) {
  Image out(image.width, image.height, 3);
  const std::size_t count = static_cast<std::size_t>(image.width) * image.height;
  const std::uint8_t* src = image.pixels.data();
  std::uint8_t* dst = out.pixels.data();
  for (std::size_t i = 0; i < count; ++i, src += 4, dst += 3) {
    const int alpha = src[3];
    for (int c = 0; c < 3; ++c) {
      dst[c] = static_cast<std::uint8_t>((src[c] * alpha + 255 * (255 - alpha) + 127) / 255);
    }
  }
  return out;
}

Image expand_grey(const Image& image) {
  Image out(image.width, image.height, 3);
  const std::size_t count = static_cast<std::size_t>(image.width) * image.height;
  for (std::size_t i = 0; i < count; ++i) {
    std::fill_n(out.pixels.data() + 3 * i, 3, image.pixels[i]);
  }
  return out;
}

void check_valid(const Image& image, const char* operation) {
  if (image.empty()) throw usage_error(std::string(operation) + ": the image is empty");
  if (image.pixels.size() != image.stride() * image.height) {
    throw usage_error(std::string(operation) + ": pixel buffer does not match " +
                      std::to_string(image.width) + "x" + std::to_string(image.height) + "x" +
                      std::to_string(image.channels));
  }
}

std::vector<std::uint8_t> encode(const Image& image, const std::string& extension,
                                 const std::vector<int>& params, const std::string& name) {
  check_valid(image, "save_image");
  std::vector<std::uint8_t> bytes;
  try {
    cv::Mat bgr = io::bgr_from_image(image);
    if (!cv::imencode(extension, bgr, bytes, params)) {
      throw io_error(name + ": could not encode the image as " + extension);
    }
  } catch (const cv::Exception& e) {
    throw io_error(name + ": could not encode the image as " + extension + " (" + e.what() + ")");
  }
  return bytes;
}

}  // namespace

Image::Image(int w, int h, int c, std::uint8_t fill) : width(w), height(h), channels(c) {
  if (w < 0 || h < 0 || c < 1 || c > 4) {
    throw usage_error("invalid image shape " + std::to_string(w) + "x" + std::to_string(h) + "x" +
                      std::to_string(c));
  }
  pixels.assign(static_cast<std::size_t>(w) * h * c, fill);
}

Image decode_image(const std::vector<std::uint8_t>& bytes, const std::string& name,
                   bool keep_channels) {
  if (bytes.empty()) throw bad_input(name + ": empty file");
  // Only formats whose size is known before decoding: OpenCV would decode anything else it reads
  // (HDR, TIFF, PPM, ...) whole before the pixel limit could refuse it.
  const auto size = io::sniff_image_size(bytes.data(), bytes.size());
  if (!size) {
    throw bad_input(name + ": not a PNG, JPEG, BMP or WebP picture (or its header is damaged)");
  }
  check_pixel_count(size->width, size->height, name);
  const bool jpeg = io::looks_like_jpeg(bytes.data(), bytes.size());
  if (jpeg && io::jpeg_is_truncated(bytes.data(), bytes.size())) {
    throw bad_input(name + ": truncated or corrupt JPEG (no end-of-image marker)");
  }
  // IMREAD_UNCHANGED keeps alpha and grey; for JPEG use ANYCOLOR so EXIF orientation is applied.
  const int flags = jpeg ? cv::IMREAD_ANYCOLOR : cv::IMREAD_UNCHANGED;
  const std::vector<std::uint8_t> stripped =
      io::png_without_colour_profile(bytes.data(), bytes.size());
  const std::vector<std::uint8_t>& data = stripped.empty() ? bytes : stripped;
  cv::Mat mat;
  try {
    const cv::Mat buffer(1, static_cast<int>(data.size()), CV_8UC1,
                         const_cast<std::uint8_t*>(data.data()));
    mat = cv::imdecode(buffer, flags);
  } catch (const cv::Exception& e) {
    throw bad_input(name + ": cannot decode the image (" + e.what() + ")");
  }
  if (mat.empty()) {
    throw bad_input(name + ": not a readable image (corrupt, truncated or unsupported format)");
  }
  check_pixel_count(mat.cols, mat.rows, name);
  Image image = io::image_from_bgr(mat);
  return keep_channels ? image : to_rgb(image);
}

Image load_image(const std::string& path, bool keep_channels) {
  require_regular_file(path, "a picture");
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) throw bad_input(path + ": cannot read (" + ec.message() + ")");
  if (size == 0) throw bad_input(path + ": empty file");
  if (size > kMaxFileBytes) {
    throw bad_input(path + ": file of " + std::to_string(size >> 20) +
                    " MB is too large for an image (limit 100 megapixels)");
  }
  std::vector<std::uint8_t> bytes(size);
  std::ifstream in(path, std::ios::binary);
  if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size))) {
    throw bad_input(path + ": cannot read the file");
  }
  return decode_image(bytes, path, keep_channels);
}

std::vector<std::uint8_t> encode_png(const Image& image) {
  return encode(image, ".png", {cv::IMWRITE_PNG_COMPRESSION, 3}, "PNG");
}

void save_image(const Image& image, const std::string& path) {
  const std::string ext = io::lower_extension(path);
  std::vector<int> params;
  if (ext == ".jpg" || ext == ".jpeg") {
    params = {cv::IMWRITE_JPEG_QUALITY, 95};
  } else if (ext == ".png") {
    params = {cv::IMWRITE_PNG_COMPRESSION, 3};
  } else if (ext == ".webp") {
    params = {cv::IMWRITE_WEBP_QUALITY, 95};
  } else if (ext != ".bmp") {
    throw usage_error(path + ": cannot save images as '" + ext + "' (use .png, .jpg or .bmp)");
  }
  io::write_file_atomically(path, encode(image, ext, params, path));
}

Image to_rgb(const Image& image) {
  switch (image.channels) {
    case 3:
      return image;
    case 1:
      return expand_grey(image);
    case 4:
      return composite_over_white(image);
    case 0:
      return Image();
    default:
      throw usage_error("to_rgb: unsupported channel count " + std::to_string(image.channels));
  }
}

Image resize_image(const Image& image, int width, int height) {
  if (width <= 0 || height <= 0) {
    throw usage_error("resize_image: invalid target size " + std::to_string(width) + "x" +
                      std::to_string(height));
  }
  check_valid(image, "resize_image");
  if (width == image.width && height == image.height) return image;
  cv::Mat resized;
  cv::resize(io::wrap_pixels(image), resized, cv::Size(width, height), 0, 0,
             io::interpolation_for(image.width, image.height, width, height));
  return io::copy_pixels(resized);
}

Image center_crop_square(const Image& image, int size) {
  if (size <= 0) throw usage_error("center_crop_square: invalid size " + std::to_string(size));
  check_valid(image, "center_crop_square");
  const int side = std::min(image.width, image.height);
  const cv::Rect square((image.width - side) / 2, (image.height - side) / 2, side, side);
  const cv::Mat cropped = io::wrap_pixels(image)(square);
  if (side == size) return io::copy_pixels(cropped);
  cv::Mat resized;
  cv::resize(cropped, resized, cv::Size(size, size), 0, 0,
             io::interpolation_for(side, side, size, size));
  return io::copy_pixels(resized);
}

Image fit_within(const Image& image, int max_side) {
  if (max_side <= 0) throw usage_error("fit_within: invalid size " + std::to_string(max_side));
  const int longer = std::max(image.width, image.height);
  if (image.empty() || longer <= max_side) return image;
  const double scale = static_cast<double>(max_side) / longer;
  const int width = std::max(1, static_cast<int>(std::lround(image.width * scale)));
  const int height = std::max(1, static_cast<int>(std::lround(image.height * scale)));
  return resize_image(image, std::min(width, max_side), std::min(height, max_side));
}

Image make_grid(const std::vector<Image>& images, int columns, int gap, std::uint8_t background) {
  if (columns <= 0) throw usage_error("make_grid: columns must be positive");
  if (gap < 0) throw usage_error("make_grid: gap must not be negative");
  if (images.empty()) return Image();
  int channels = images.front().channels;
  int cell_width = 0;
  int cell_height = 0;
  for (const Image& image : images) {
    if (image.channels != channels) channels = 3;  // mixed inputs meet in RGB
    cell_width = std::max(cell_width, image.width);
    cell_height = std::max(cell_height, image.height);
  }
  const int count = static_cast<int>(images.size());
  columns = std::min(columns, count);
  const int rows = (count + columns - 1) / columns;
  Image grid(columns * cell_width + (columns - 1) * gap, rows * cell_height + (rows - 1) * gap,
             channels, background);
  for (int i = 0; i < count; ++i) {
    const Image& source = images[i];
    if (source.empty()) continue;
    const Image converted = source.channels == channels ? source : to_rgb(source);
    const int x0 = (i % columns) * (cell_width + gap);
    const int y0 = (i / columns) * (cell_height + gap);
    for (int y = 0; y < converted.height; ++y) {
      std::copy_n(converted.row(y), converted.stride(), grid.at(x0, y0 + y));
    }
  }
  return grid;
}

bool is_image_file_name(const std::string& path) {
  const std::string ext = io::lower_extension(path);
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".bmp" || ext == ".webp";
}

}  // namespace atelier
