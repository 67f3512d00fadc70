// Helpers shared by the test executables.
#pragma once

#include <filesystem>
#include <string>

namespace atelier::test {

// The shared real media: $ATELIER_DATA_DIR, else the build's configured ../shared/data.
std::string data_dir();
std::string data_file(const std::string& relative);  // data_dir() + "/" + relative

// A fresh empty folder under the system temp dir, removed when the object dies.
class TempDir {
 public:
  explicit TempDir(const std::string& tag = "atelier-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace atelier::test
