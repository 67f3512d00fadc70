// The .atl container, without torch: a header, a JSON description, a thumbnail and raw tensors.
//
// Layout (all integers little-endian):
//   "ATELIER\x1a"                      8-byte magic
//   u32 format version                 kModelFormatVersion
//   u32 flags                          0
//   u64 json length, json bytes        UTF-8 JSON: method, preset, params, state, step, seed,
//                                      created, finished, atelier_version, tensors[{name, dtype,
//                                      shape, offset, nbytes}], thumbnail{offset, nbytes}
//   u32 crc32 of the json bytes
//   payload                            thumbnail PNG then tensor bytes at the offsets the JSON
//                                      gives (relative to the payload start), 64-byte aligned
//   u32 crc32 of the payload
//   "LTA\x1a" end marker
// Reading checks the magic, the version, every length against the file size, the JSON, every
// tensor's dtype/shape/extent and both checksums, so a cut, corrupted or foreign file is rejected.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "atelier/model_file.h"

namespace atelier {

struct RawTensor {
  std::string dtype;                   // float32 float64 float16 bfloat16 int64 int32 uint8 bool
  std::vector<std::int64_t> shape;
  std::vector<std::uint8_t> bytes;     // contiguous, row-major, little-endian
};

struct RawModelArchive {
  ModelInfo info;                                // path, tensors and file_size filled on read
  std::map<std::string, RawTensor> tensors;
};

std::size_t dtype_size(const std::string& dtype);  // 0 for an unknown dtype

// Writes through io::AtomicFile (a unique temporary file renamed over `path`, then synced);
// Error(Io) naming the file on failure.
void write_raw_model_archive(const std::string& path, const RawModelArchive& archive);

// Error(BadInput) naming the file and the problem. With expected_method non-empty, a valid file of
// another method is rejected too ("... was trained with 'singan', not 'analogy'").
RawModelArchive read_raw_model_archive(const std::string& path,
                                       const std::string& expected_method = "");

// Validates the whole file exactly as read_raw_model_archive does (checksums included) but keeps
// only the description: tensor bytes are streamed through the checksum and dropped.
ModelInfo read_model_archive_info(const std::string& path);

}  // namespace atelier
