#include "fuzz_support.h"

#include <spdlog/spdlog.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>

namespace atelier::fuzz {

MemoryFile::MemoryFile(const std::uint8_t* data, std::size_t size) {
  fd_ = ::memfd_create("atelier-fuzz", MFD_CLOEXEC);
  if (fd_ < 0) std::abort();  // the harness itself failed, not the code under test
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::write(fd_, data + done, size - done);
    if (n <= 0) std::abort();
    done += static_cast<std::size_t>(n);
  }
  path_ = "/proc/self/fd/" + std::to_string(fd_);
}

MemoryFile::~MemoryFile() {
  if (fd_ >= 0) ::close(fd_);
}

void quiet_logs() {
  spdlog::set_level(spdlog::level::off);
}

}  // namespace atelier::fuzz
