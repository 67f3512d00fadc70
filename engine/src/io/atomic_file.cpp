#include "io/atomic_file.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "atelier/error.h"

namespace fs = std::filesystem;

namespace atelier::io {

std::string lower_extension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

std::string temp_sibling(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  const fs::path target(path);
  fs::path folder = target.parent_path();
  std::error_code ec;
  if (!folder.empty() && !fs::is_directory(folder, ec)) {
    throw io_error(path + ": cannot write, folder " + folder.string() + " does not exist");
  }
  const std::string name = "." + target.stem().string() + ".tmp-" + std::to_string(::getpid()) +
                           "-" + std::to_string(counter++) + target.extension().string();
  return (folder / name).string();
}

void discard_temp(const std::string& temp) noexcept {
  std::error_code ec;
  fs::remove(temp, ec);
}

void commit_temp(const std::string& temp, const std::string& path) {
  std::error_code ec;
  fs::rename(temp, path, ec);
  if (ec) {
    discard_temp(temp);
    throw io_error(path + ": cannot write (" + ec.message() + ")");
  }
}

void write_file_atomically(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  const std::string temp = temp_sibling(path);
  std::FILE* file = std::fopen(temp.c_str(), "wb");
  if (!file) throw io_error(path + ": cannot write (" + std::strerror(errno) + ")");
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
  const int write_errno = errno;
  const bool closed = std::fclose(file) == 0;
  if (!written || !closed) {
    discard_temp(temp);
    throw io_error(path + ": cannot write (" + std::strerror(written ? errno : write_errno) + ")");
  }
  commit_temp(temp, path);
}

}  // namespace atelier::io
