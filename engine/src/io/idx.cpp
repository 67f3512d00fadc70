// IDX files (the MNIST format), raw or gzip-compressed.
//
// The header is validated, and checked against the file's size, before anything is allocated
// from it; the payload is then read in chunks into a growing buffer, so a corrupt header claiming
// terabytes fails with a message instead of an allocation.
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>

#include "atelier/dataset.h"
#include "atelier/error.h"
#include "atelier/file_checks.h"

namespace atelier {
namespace {

constexpr std::uint8_t kTypeUint8 = 0x08;
constexpr int kMaxDims = 4;
// Larger than any IDX in use (Fashion-MNIST train is 47 MB); a sanity bound on the header.
constexpr std::int64_t kMaxPayloadBytes = std::int64_t{1} << 32;
constexpr unsigned kChunkBytes = 1u << 20;
// deflate cannot compress better than about 1032:1.
constexpr std::int64_t kMaxDeflateRatio = 1100;

struct GzCloser {
  void operator()(gzFile_s* file) const { gzclose(file); }
};
using GzHandle = std::unique_ptr<gzFile_s, GzCloser>;

std::string zlib_reason(gzFile file, const std::string& path) {
  int code = Z_OK;
  const char* message = gzerror(file, &code);
  if (code == Z_ERRNO) return std::strerror(errno);
  std::string reason = message && *message ? message : "read error";
  // zlib prefixes its messages with the path, which ours already name.
  if (reason.rfind(path + ": ", 0) == 0) reason.erase(0, path.size() + 2);
  return reason;
}

// Reads up to `size` bytes; returns how many were read (fewer only at the end of the data).
std::size_t read_some(gzFile file, std::uint8_t* out, std::size_t size, const std::string& path) {
  std::size_t done = 0;
  while (done < size) {
    const unsigned want = static_cast<unsigned>(std::min<std::size_t>(size - done, kChunkBytes));
    const int got = gzread(file, out + done, want);
    if (got < 0)
      throw bad_input(path + ": not a readable IDX file (" + zlib_reason(file, path) + ")");
    if (got == 0) {
      // gzread reports a cut-off gzip stream as an error only on the call after the data ends.
      int code = Z_OK;
      gzerror(file, &code);
      if (code != Z_OK) {
        throw bad_input(path + ": not a readable IDX file (" + zlib_reason(file, path) + ")");
      }
      break;
    }
    done += static_cast<std::size_t>(got);
  }
  return done;
}

std::uint32_t big_endian_u32(const std::uint8_t* bytes) {
  return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) |
         (std::uint32_t{bytes[2]} << 8) | std::uint32_t{bytes[3]};
}

std::string hex_magic(const std::uint8_t* bytes) {
  static const char* digits = "0123456789abcdef";
  std::string text = "0x";
  for (int i = 0; i < 4; ++i) {
    text += digits[bytes[i] >> 4];
    text += digits[bytes[i] & 15];
  }
  return text;
}

}  // namespace

std::int64_t IdxArray::item_size() const {
  std::int64_t size = 1;
  for (std::size_t i = 1; i < dims.size(); ++i) size *= dims[i];
  return size;
}

IdxArray read_idx(const std::string& path) {
  require_regular_file(path, "IDX data");
  std::error_code ec;

  // gzopen reads uncompressed files transparently, so one path serves both.
  GzHandle file(gzopen(path.c_str(), "rb"));
  if (!file) throw bad_input(path + ": cannot open (" + std::strerror(errno) + ")");
  gzbuffer(file.get(), 256 * 1024);

  std::array<std::uint8_t, 4> magic{};
  if (read_some(file.get(), magic.data(), magic.size(), path) != magic.size()) {
    throw bad_input(path + ": too short for an IDX header");
  }
  const int ndims = magic[3];
  if (magic[0] != 0 || magic[1] != 0 || ndims < 1 || ndims > kMaxDims) {
    throw bad_input(path + ": not an IDX file (magic " + hex_magic(magic.data()) +
                    ", expected 0x000008NN with 1 to 4 dimensions)");
  }
  if (magic[2] != kTypeUint8) {
    throw bad_input(path + ": IDX element type " + hex_magic(magic.data()).substr(6, 2) +
                    " is not supported (only uint8, 08)");
  }

  std::array<std::uint8_t, 4 * kMaxDims> dim_bytes{};
  const std::size_t dim_size = 4 * static_cast<std::size_t>(ndims);
  if (read_some(file.get(), dim_bytes.data(), dim_size, path) != dim_size) {
    throw bad_input(path + ": IDX header cut off in its dimensions");
  }
  IdxArray array;
  std::int64_t payload = 1;
  for (int d = 0; d < ndims; ++d) {
    const std::uint32_t dim = big_endian_u32(dim_bytes.data() + 4 * d);
    if (dim == 0 || dim > static_cast<std::uint32_t>(std::numeric_limits<int>::max())) {
      throw bad_input(path + ": IDX dimension " + std::to_string(d) + " is " + std::to_string(dim) +
                      (dim == 0 ? " (empty)" : " (too large)"));
    }
    payload *= dim;  // stays exact: checked against the bound after every factor
    if (payload > kMaxPayloadBytes) {
      throw bad_input(path + ": IDX header claims an implausible size (over " +
                      std::to_string(kMaxPayloadBytes) + " bytes)");
    }
    array.dims.push_back(static_cast<int>(dim));
  }

  // Before allocating, check the claim against what the file can hold: a raw file exactly, a gzip
  // stream by deflate's best ratio. The buffer then grows only with data actually read.
  const auto expected = static_cast<std::size_t>(payload);
  const std::int64_t header_bytes = 4 + 4 * std::int64_t{ndims};
  const auto file_bytes = static_cast<std::int64_t>(std::filesystem::file_size(path, ec));
  if (!ec && gzdirect(file.get()) && file_bytes - header_bytes != payload) {
    throw bad_input(path + ": IDX header declares " + std::to_string(payload) +
                    " data bytes but the file holds " + std::to_string(file_bytes - header_bytes) +
                    (file_bytes - header_bytes < payload ? " (cut off)" : " (extra bytes)"));
  }
  if (!ec && !gzdirect(file.get()) && payload > file_bytes * kMaxDeflateRatio) {
    throw bad_input(path + ": IDX header declares " + std::to_string(payload) +
                    " data bytes, more than a gzip file of " + std::to_string(file_bytes) +
                    " bytes can hold");
  }
  array.data.reserve(std::min<std::size_t>(expected, 64u << 20));
  std::size_t have = 0;
  while (have < expected) {
    const std::size_t step = std::min<std::size_t>(expected - have, 16u << 20);
    array.data.resize(have + step);
    const std::size_t got = read_some(file.get(), array.data.data() + have, step, path);
    have += got;
    if (got < step) {
      throw bad_input(path + ": IDX data cut off: " + std::to_string(have) + " of " +
                      std::to_string(expected) + " bytes present");
    }
  }
  std::uint8_t extra = 0;
  if (read_some(file.get(), &extra, 1, path) != 0) {
    throw bad_input(path + ": IDX file has bytes after the " + std::to_string(expected) +
                    " data bytes its header declares");
  }
  return array;
}

}  // namespace atelier
