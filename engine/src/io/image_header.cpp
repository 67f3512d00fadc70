#include "io/image_header.h"

#include <cstdlib>
#include <cstring>

namespace atelier::io {
namespace {

std::uint32_t be16(const std::uint8_t* p) {
  return (p[0] << 8) | p[1];
}
std::uint32_t be32(const std::uint8_t* p) {
  return (std::uint32_t(p[0]) << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}
std::uint32_t le16(const std::uint8_t* p) {
  return p[0] | (p[1] << 8);
}
std::uint32_t le24(const std::uint8_t* p) {
  return p[0] | (p[1] << 8) | (p[2] << 16);
}
std::uint32_t le32(const std::uint8_t* p) {
  return le24(p) | (std::uint32_t(p[3]) << 24);
}

const std::uint8_t kPngSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

std::optional<ImageSize> png_size(const std::uint8_t* d, std::size_t n) {
  if (n < 24 || std::memcmp(d, kPngSignature, 8) != 0 || std::memcmp(d + 12, "IHDR", 4) != 0) {
    return std::nullopt;
  }
  return ImageSize{be32(d + 16), be32(d + 20)};
}

bool is_start_of_frame(std::uint8_t marker) {
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

std::optional<ImageSize> jpeg_size(const std::uint8_t* d, std::size_t n) {
  if (!looks_like_jpeg(d, n)) return std::nullopt;
  std::size_t pos = 2;
  while (pos + 4 <= n) {
    if (d[pos] != 0xFF) return std::nullopt;
    const std::uint8_t marker = d[pos + 1];
    if (marker == 0xFF) {  // fill byte
      ++pos;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD9)) {  // markers without a length
      pos += 2;
      continue;
    }
    const std::size_t length = be16(d + pos + 2);
    if (is_start_of_frame(marker)) {
      if (pos + 9 > n) return std::nullopt;
      return ImageSize{be16(d + pos + 7), be16(d + pos + 5)};
    }
    if (marker == 0xDA) return std::nullopt;  // scan data before any frame header: malformed
    pos += 2 + length;
  }
  return std::nullopt;
}

std::optional<ImageSize> bmp_size(const std::uint8_t* d, std::size_t n) {
  if (n < 26 || d[0] != 'B' || d[1] != 'M') return std::nullopt;
  const std::uint32_t header_size = le32(d + 14);
  if (header_size == 12) return ImageSize{le16(d + 18), le16(d + 20)};
  const auto width = static_cast<std::int32_t>(le32(d + 18));
  const auto height = static_cast<std::int32_t>(le32(d + 22));
  return ImageSize{std::llabs(width), std::llabs(height)};
}

std::optional<ImageSize> webp_size(const std::uint8_t* d, std::size_t n) {
  if (n < 30 || std::memcmp(d, "RIFF", 4) != 0 || std::memcmp(d + 8, "WEBP", 4) != 0) {
    return std::nullopt;
  }
  const std::uint8_t* chunk = d + 12;
  if (std::memcmp(chunk, "VP8 ", 4) == 0) {
    return ImageSize{le16(d + 26) & 0x3FFF, le16(d + 28) & 0x3FFF};
  }
  if (std::memcmp(chunk, "VP8L", 4) == 0) {
    const std::uint8_t* b = d + 21;
    const std::uint32_t width = 1 + (b[0] | ((b[1] & 0x3F) << 8));
    const std::uint32_t height = 1 + ((b[1] >> 6) | (b[2] << 2) | ((b[3] & 0x0F) << 10));
    return ImageSize{width, height};
  }
  if (std::memcmp(chunk, "VP8X", 4) == 0) return ImageSize{1 + le24(d + 24), 1 + le24(d + 27)};
  return std::nullopt;
}

}  // namespace

bool looks_like_jpeg(const std::uint8_t* d, std::size_t n) {
  return n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF;
}

std::optional<ImageSize> sniff_image_size(const std::uint8_t* data, std::size_t size) {
  if (auto s = png_size(data, size)) return s;
  if (auto s = jpeg_size(data, size)) return s;
  if (auto s = bmp_size(data, size)) return s;
  return webp_size(data, size);
}

bool jpeg_is_truncated(const std::uint8_t* d, std::size_t n) {
  if (!looks_like_jpeg(d, n)) return false;
  // Inside entropy-coded data 0xFF is always followed by 0x00 or a restart marker, so the last
  // start-of-scan marker belongs to the main image (an EXIF thumbnail comes before it) and a
  // complete file has an end-of-image marker after it.
  std::size_t last_scan = 0;
  std::size_t last_end = 0;
  for (std::size_t i = 0; i + 1 < n; ++i) {
    if (d[i] != 0xFF) continue;
    if (d[i + 1] == 0xDA) last_scan = i;
    if (d[i + 1] == 0xD9) last_end = i;
  }
  return last_scan == 0 || last_end < last_scan;
}

std::vector<std::uint8_t> png_without_colour_profile(const std::uint8_t* d, std::size_t n) {
  if (n < 8 || std::memcmp(d, kPngSignature, 8) != 0) return {};
  // Chunks: 4-byte length, 4-byte type, data, 4-byte CRC.
  for (std::size_t pos = 8; pos + 12 <= n;) {
    const std::size_t end = pos + 12 + std::size_t{be32(d + pos)};
    if (end > n || std::memcmp(d + pos + 4, "IEND", 4) == 0) break;
    if (std::memcmp(d + pos + 4, "iCCP", 4) == 0) {
      std::vector<std::uint8_t> out(d, d + pos);
      out.insert(out.end(), d + end, d + n);
      return out;
    }
    pos = end;
  }
  return {};
}

}  // namespace atelier::io
