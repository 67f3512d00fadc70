// Helpers of the fuzz targets: the loaders read files by name, so each input becomes a file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace atelier::fuzz {

// The bytes as a file in memory (memfd), reachable by name as /proc/self/fd/N: no disk traffic
// per input, and nothing left behind when the process ends.
class MemoryFile {
 public:
  MemoryFile(const std::uint8_t* data, std::size_t size);
  ~MemoryFile();
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

// Keeps the loaders' log lines (spdlog warnings about damaged inputs) off the fuzzer's output.
void quiet_logs();

}  // namespace atelier::fuzz
