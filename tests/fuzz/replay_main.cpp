// Runs a fuzz target's LLVMFuzzerTestOneInput on files, without libFuzzer: the seed and the
// regression corpora are replayed by every build (gcc included) as ordinary tests, so an input
// that once crashed a loader keeps being tried. Arguments: files or folders (read recursively).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

namespace {

void replay(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
  int count = 0;
  for (int i = 1; i < argc; ++i) {
    const fs::path root(argv[i]);
    if (fs::is_directory(root)) {
      std::vector<fs::path> files;
      for (const auto& entry : fs::recursive_directory_iterator(root))
        if (entry.is_regular_file()) files.push_back(entry.path());
      std::sort(files.begin(), files.end());
      for (const fs::path& file : files) {
        replay(file);
        ++count;
      }
    } else if (fs::is_regular_file(root)) {
      replay(root);
      ++count;
    }  // a target without regressions yet has no such folder: nothing to replay there
  }
  std::printf("replayed %d inputs\n", count);
  return count > 0 ? 0 : 1;
}
