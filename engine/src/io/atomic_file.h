// Writing files so that a crash or a full disk never leaves a half-written file under the final
// name: write to a temporary sibling, then rename over the target.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace atelier::io {

// A unique hidden sibling of `path` that keeps its extension (encoders pick formats by it):
// "dir/name.mp4" -> "dir/.name.tmp-<pid>-<n>.mp4". Throws Error(Io) if the folder does not exist.
std::string temp_sibling(const std::string& path);

// Renames `temp` to `path`; on failure removes `temp` and throws Error(Io) naming `path`.
void commit_temp(const std::string& temp, const std::string& path);

// Removes `temp` if it exists, ignoring errors (for cleanup on failure paths).
void discard_temp(const std::string& temp) noexcept;

// Writes `bytes` to `path` through a temporary sibling. Throws Error(Io) naming `path`.
void write_file_atomically(const std::string& path, const std::vector<std::uint8_t>& bytes);

// Lower-cased extension with the dot (".png"), or "" if none.
std::string lower_extension(const std::string& path);

}  // namespace atelier::io
