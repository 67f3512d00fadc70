#include "atelier/remove_tree.h"

#include <ftw.h>

#include <cerrno>
#include <cstdio>

namespace atelier {
namespace {

int remove_entry(const char* path, const struct stat*, int, struct FTW*) {
  return std::remove(path) == 0 ? 0 : -1;
}

}  // namespace

bool remove_tree(const std::string& path) {
  // Depth first (children before their folder), not following symbolic links.
  if (nftw(path.c_str(), remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0) return true;
  return errno == ENOENT;
}

}  // namespace atelier
