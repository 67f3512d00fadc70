#include "io/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "atelier/error.h"

namespace fs = std::filesystem;

namespace atelier::io {
namespace {

std::string folder_of(const std::string& path) {
  const fs::path folder = fs::path(path).parent_path();
  return folder.empty() ? std::string(".") : folder.string();
}

std::string temp_prefix(const fs::path& target) {
  return "." + target.stem().string() + ".tmp-";
}

// "<pid>-<n>" of a temporary name made by temp_sibling, or 0 when `middle` is not of that form.
pid_t writer_pid(const std::string& middle) {
  const auto dash = middle.find('-');
  if (dash == 0 || dash == std::string::npos || dash + 1 == middle.size()) return 0;
  const auto digits = [](const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
  };
  if (!digits(middle.substr(0, dash)) || !digits(middle.substr(dash + 1)) || dash > 9) return 0;
  return static_cast<pid_t>(std::stol(middle.substr(0, dash)));
}

// Removes temporary siblings of `path` whose writer is gone (a SIGKILL during a save leaves one).
void remove_orphans(const std::string& path) {
  const fs::path target(path);
  const std::string prefix = temp_prefix(target);
  const std::string extension = target.extension().string();
  std::error_code ec;
  for (fs::directory_iterator it(folder_of(path), ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= prefix.size() + extension.size() || name.rfind(prefix, 0) != 0 ||
        name.compare(name.size() - extension.size(), extension.size(), extension) != 0)
      continue;
    const pid_t pid =
        writer_pid(name.substr(prefix.size(), name.size() - prefix.size() - extension.size()));
    if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH) {
      std::error_code ignored;
      fs::remove(it->path(), ignored);
    }
  }
}

void sync_folder(const std::string& path) {
  const int fd = ::open(folder_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // the rename happened; only its durability is at stake
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

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
  remove_orphans(path);
  const std::string name = temp_prefix(target) + std::to_string(::getpid()) + "-" +
                           std::to_string(counter++) + target.extension().string();
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
  sync_folder(path);
}

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  // An unnamed file vanishes by itself when the process dies before commit().
  fd_ = ::open(folder_of(path_).c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
  if (fd_ >= 0) return;
  if (errno == ENOENT || errno == ENOTDIR) fail("cannot write, its folder does not exist");
  // File systems without O_TMPFILE: a named temporary file.
  temp_ = temp_sibling(path_);
  fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd_ < 0) fail("cannot create " + temp_);
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
}

void AtomicFile::write(const void* data, std::size_t size) {
  const char* bytes = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd_, bytes, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("cannot write");
    bytes += n;
    size -= static_cast<std::size_t>(n);
  }
}

void AtomicFile::commit() {
  if (::fsync(fd_) != 0) fail("cannot flush");
  if (temp_.empty()) {
    // Give the unnamed file a unique name, then rename it over the target at once: link() cannot
    // replace an existing file.
    temp_ = temp_sibling(path_);
    const std::string self = "/proc/self/fd/" + std::to_string(fd_);
    if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, temp_.c_str(), AT_SYMLINK_FOLLOW) != 0) {
      const std::string reason = std::strerror(errno);
      temp_.clear();
      throw io_error(path_ + ": cannot write (naming the new file failed: " + reason + ")");
    }
  }
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail("cannot close");
  commit_temp(temp_, path_);
  committed_ = true;
}

void AtomicFile::fail(const std::string& what) const {
  throw io_error(path_ + ": " + what + ": " + std::strerror(errno));
}

void write_file_atomically(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  AtomicFile file(path);
  file.write(bytes.data(), bytes.size());
  file.commit();
}

}  // namespace atelier::io
