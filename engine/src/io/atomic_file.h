// Writing files so that a crash, a SIGKILL or a full disk never leaves a half-written file under
// the final name, nor a temporary file that nobody will remove: the bytes go to an unnamed file
// (O_TMPFILE) or a uniquely named hidden sibling, which is synced, renamed over the target, and
// the folder synced after the rename.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace atelier::io {

// A file being written for `path`. commit() makes it durable and puts it in place; destroyed
// without commit(), it leaves no trace. Errors are Error(Io) naming `path`.
class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(const void* data, std::size_t size);
  void commit();

 private:
  [[noreturn]] void fail(const std::string& what) const;

  std::string path_;
  std::string temp_;  // the named temporary file; empty while the file has no name (O_TMPFILE)
  int fd_ = -1;
  bool committed_ = false;
};

// A unique hidden sibling of `path` that keeps its extension (encoders pick formats by it):
// "dir/name.mp4" -> "dir/.name.tmp-<pid>-<n>.mp4". Throws Error(Io) if the folder does not exist.
// Siblings of this form left by processes that no longer run (killed during a save) are removed.
std::string temp_sibling(const std::string& path);

// Renames `temp` to `path` and syncs the folder; on failure removes `temp` and throws Error(Io)
// naming `path`.
void commit_temp(const std::string& temp, const std::string& path);

// Removes `temp` if it exists, ignoring errors (for cleanup on failure paths).
void discard_temp(const std::string& temp) noexcept;

// Writes `bytes` to `path` through an AtomicFile. Throws Error(Io) naming `path`.
void write_file_atomically(const std::string& path, const std::vector<std::uint8_t>& bytes);

// Lower-cased extension with the dot (".png"), or "" if none.
std::string lower_extension(const std::string& path);

}  // namespace atelier::io
