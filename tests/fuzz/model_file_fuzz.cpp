// Fuzz target: model files (.atl), read as every method loads them.
//
// The container checksums its description and its payload, so almost every mutation would be
// refused at the first checksum. The harness writes the right checksums into an input whose
// layout holds together, so that mutated descriptions and tensors reach the methods' loaders,
// which must refuse them with a message (never crash, never allocate what the file only claims).
#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "atelier/error.h"
#include "atelier/json_text.h"
#include "atelier/model_file.h"
#include "built_methods.h"
#include "fuzz_support.h"

namespace {

constexpr std::size_t kHeader = 8 + 4 + 4 + 8;  // magic, version, flags, description length
constexpr std::size_t kTrailer = 4 + 4;         // payload checksum, end marker

void put_le32(std::uint8_t* at, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) at[i] = static_cast<std::uint8_t>(value >> (8 * i));
}

std::uint32_t crc_of(const std::uint8_t* data, std::size_t size) {
  return static_cast<std::uint32_t>(::crc32(0, data, static_cast<uInt>(size)));
}

// Writes both checksums where the layout says they are, if it says so consistently.
void fix_checksums(std::vector<std::uint8_t>& bytes) {
  if (bytes.size() < kHeader + 4 + kTrailer || std::memcmp(bytes.data(), "ATELIER\x1a", 8) != 0)
    return;
  std::uint64_t json_size = 0;
  for (int i = 0; i < 8; ++i) json_size |= std::uint64_t{bytes[16 + i]} << (8 * i);
  if (json_size > bytes.size() - kHeader - 4 - kTrailer) return;
  const std::size_t json_end = kHeader + static_cast<std::size_t>(json_size);
  put_le32(&bytes[json_end], crc_of(&bytes[kHeader], json_size));
  const std::size_t payload = json_end + 4;
  const std::size_t payload_size = bytes.size() - kTrailer - payload;
  put_le32(&bytes[payload + payload_size], crc_of(&bytes[payload], payload_size));
}

template <class Load>
void try_load(Load load) {
  try {
    load();
  } catch (const atelier::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool quiet = (atelier::fuzz::quiet_logs(), true);
  (void)quiet;
  std::vector<std::uint8_t> bytes(data, data + size);
  fix_checksums(bytes);
  const atelier::fuzz::MemoryFile file(bytes.data(), bytes.size());
  const std::string& path = file.path();
  atelier::ModelInfo info;
  try {
    info = atelier::inspect_model(path);
    (void)atelier::json_text(atelier::to_json(info));  // what `inspect --json` prints
  } catch (const atelier::Error&) {
    return 0;
  }
  atelier::ComputeOptions cpu;
  cpu.device = "cpu";
  cpu.threads = 1;
  using namespace atelier;
#if defined(ATELIER_WITH_SINGAN)
  if (info.method == "singan") try_load([&] { SinganModel::load(path, cpu).sample(); });
#endif
#if defined(ATELIER_WITH_ANALOGY)
  if (info.method == "analogy") try_load([&] { AnalogyModel::load(path, cpu); });
#endif
#if defined(ATELIER_WITH_VIDEOGEN)
  if (info.method == "videogen") try_load([&] { VideogenModel::load(path, cpu); });
#endif
#if defined(ATELIER_WITH_DISENTANGLE)
  if (info.method == "disentangle") try_load([&] { DisentangleModel::load(path, cpu); });
#endif
#if defined(ATELIER_WITH_MASKTRANSFER)
  if (info.method == "masktransfer") try_load([&] { MasktransferModel::load(path, cpu); });
#endif
#if defined(ATELIER_WITH_ONESHOT)
  if (info.method == "oneshot") try_load([&] { OneshotModel::load(path, cpu); });
#endif
  return 0;
}
