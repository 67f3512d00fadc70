// atelier/remove_tree.h — removes a folder and everything in it.
//
// Not std::filesystem::remove_all: the LibTorch of PyTorch's packages (2.x) exports its own copy of
// it, which wins the symbol lookup over libstdc++'s in every program linked to it and jumps to a
// null function (seen with torch 2.11+cu130: a crash in the first folder removed).
#pragma once

#include <string>

namespace atelier {

// Removes `path` and what it holds, never following links; a path that does not exist is no
// error. Returns false when something could not be removed (left as it is).
bool remove_tree(const std::string& path);

}  // namespace atelier
