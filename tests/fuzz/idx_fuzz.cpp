// Fuzz target: IDX files (MNIST format), raw or gzip-compressed, through read_idx.
#include <cstdint>

#include "atelier/dataset.h"
#include "atelier/error.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const atelier::fuzz::MemoryFile file(data, size);
  try {
    const atelier::IdxArray array = atelier::read_idx(file.path());
    std::int64_t expected = array.dims.empty() ? 0 : 1;
    for (int dim : array.dims) expected *= dim;
    if (static_cast<std::int64_t>(array.data.size()) != expected) __builtin_trap();
  } catch (const atelier::Error&) {
  }
  return 0;
}
