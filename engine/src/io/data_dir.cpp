// Where the shared real media live (tests, benchmarks and dataset builders; never the product).
#include <cstdlib>
#include <filesystem>
#include <string>

#include "atelier/dataset.h"
#include "atelier/version.h"

namespace atelier {

std::string default_data_dir() {
  if (const char* env = std::getenv("ATELIER_DATA_DIR"); env && *env) return env;

  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path beside_cwd = fs::current_path(ec) / ".." / "shared" / "data";
  if (!ec && fs::is_directory(beside_cwd, ec)) return beside_cwd.lexically_normal().string();

  return (fs::path(ATELIER_SOURCE_DIR) / ".." / "shared" / "data").lexically_normal().string();
}

}  // namespace atelier
