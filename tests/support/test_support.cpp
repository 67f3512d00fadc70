#include "test_support.h"

#include <cstdlib>
#include <random>

#include "atelier/remove_tree.h"

namespace atelier::test {

std::string data_dir() {
  if (const char* env = std::getenv("ATELIER_DATA_DIR"); env && *env) return env;
  return ATELIER_TEST_DATA_DIR;
}

std::string data_file(const std::string& relative) { return data_dir() + "/" + relative; }

TempDir::TempDir(const std::string& tag) {
  std::random_device rd;
  for (;;) {
    path_ = std::filesystem::temp_directory_path() /
            (tag + "-" + std::to_string(rd()) + std::to_string(rd()));
    if (std::filesystem::create_directory(path_)) break;
  }
}

TempDir::~TempDir() {
  remove_tree(path_.string());
}

}  // namespace atelier::test
