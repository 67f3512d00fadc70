#include "atelier/file_checks.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "atelier/error.h"

namespace fs = std::filesystem;

namespace atelier {
namespace {

// What a non-regular file is, in the user's words.
std::string kind_of(const struct stat& st) {
  if (S_ISDIR(st.st_mode)) return "a folder";
  if (S_ISFIFO(st.st_mode)) return "a named pipe (FIFO)";
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) return "a device";
  if (S_ISSOCK(st.st_mode)) return "a socket";
  if (S_ISREG(st.st_mode)) return "a file";
  return "not a regular file";
}

// The folder that holds `path` ("out/" names the folder out, whose parent is ".").
fs::path parent_of(const std::string& path) {
  fs::path p = fs::path(path).lexically_normal();
  if (!p.has_filename()) p = p.parent_path();
  return p.parent_path();
}

bool same_file(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

// The input among `inputs` that is the file `st` describes, if any.
const NamedPath* input_at(const struct stat& st, const std::vector<NamedPath>& inputs) {
  for (const NamedPath& input : inputs) {
    struct stat in {};
    if (!input.path.empty() && ::stat(input.path.c_str(), &in) == 0 && same_file(st, in))
      return &input;
  }
  return nullptr;
}

// The folder that will hold `path` must exist and take new files.
void require_writable_folder(const std::string& option, const std::string& path,
                             const fs::path& folder) {
  const std::string shown = folder.empty() ? std::string(".") : folder.string();
  struct stat st {};
  if (::stat(shown.c_str(), &st) != 0) {
    throw bad_input(option + " " + path + ": the folder " + shown + " does not exist");
  }
  if (!S_ISDIR(st.st_mode)) {
    throw bad_input(option + " " + path + ": " + shown + " is " + kind_of(st) + ", not a folder");
  }
  if (::access(shown.c_str(), W_OK | X_OK) != 0) {
    throw bad_input(option + " " + path + ": cannot write in the folder " + shown + " (" +
                    std::strerror(errno) + ")");
  }
}

void refuse_input(const std::string& option, const std::string& path, const struct stat& st,
                  const std::vector<NamedPath>& inputs) {
  if (const NamedPath* input = input_at(st, inputs)) {
    throw bad_input(option + " " + path + ": is the run's input " + input->option + " " +
                    input->path + "; choose another name so that the input stays as it is");
  }
}

}  // namespace

void require_regular_file(const std::string& path, const std::string& what) {
  struct stat st {};
  if (path.empty()) throw bad_input("no file given for " + what);
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) throw bad_input(path + ": no such file");
    throw bad_input(path + ": cannot be read (" + std::strerror(errno) + ")");
  }
  if (!S_ISREG(st.st_mode)) {
    throw bad_input(path + ": is " + kind_of(st) + ", not a file holding " + what);
  }
  if (::access(path.c_str(), R_OK) != 0) {
    throw bad_input(path + ": cannot be read (" + std::strerror(errno) + ")");
  }
}

void check_output_file(const std::string& option, const std::string& path,
                       const std::vector<NamedPath>& inputs) {
  if (path.empty()) throw bad_input(option + ": no file name given");
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (!S_ISREG(st.st_mode)) {
      throw bad_input(option + " " + path + ": is " + kind_of(st) + ", not a file name");
    }
    refuse_input(option, path, st, inputs);
  }
  require_writable_folder(option, path, parent_of(path));
}

void check_output_folder(const std::string& option, const std::string& path,
                         const std::vector<NamedPath>& inputs) {
  if (path.empty()) throw bad_input(option + ": no folder name given");
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    // Created by the run, with any missing folders above it: the nearest existing one must be
    // a folder that takes them.
    fs::path folder = parent_of(path);
    struct stat above {};
    while (!folder.empty() && ::stat(folder.c_str(), &above) != 0) folder = folder.parent_path();
    require_writable_folder(option, path, folder);
    return;
  }
  if (!S_ISDIR(st.st_mode)) {
    refuse_input(option, path, st, inputs);
    throw bad_input(option + " " + path + ": is " + kind_of(st) + " where a folder is meant");
  }
  refuse_input(option, path, st, inputs);
  if (::access(path.c_str(), W_OK | X_OK) != 0) {
    throw bad_input(option + " " + path + ": cannot write in this folder (" + std::strerror(errno) +
                    ")");
  }
}

}  // namespace atelier
