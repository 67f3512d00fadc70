// atelier/file_checks.h — what every input and output path is checked for before a job starts.
//
// An input must be a regular file: a named pipe (FIFO) or a device given as a picture or a video
// would make the reader wait forever, a folder would fail later with a library's message. An
// output is checked before the work, not at its first save: its folder exists and is writable, it
// is not a folder, and it is not one of the run's inputs (compared by file identity, so another
// spelling or a link to the input counts), so a run can never replace the picture it learns from.
#pragma once

#include <string>
#include <vector>

namespace atelier {

// Error(BadInput) "<path>: no such file", "...: is a folder, not <what>", "...: is a named pipe
// (FIFO), not a file", "...: is a device, not a file", or "...: cannot be read (...)".
// `what` names what the file should hold: "a picture", "a video", "a model file".
void require_regular_file(const std::string& path, const std::string& what);

// An input of the run, as the user named it: its option ("--image") and path.
struct NamedPath {
  std::string option;
  std::string path;
};

// Error(BadInput) naming `option` when `path` cannot receive a file: empty, a folder (or another
// non-file), inside a folder that is missing or not writable, or the same file as one of
// `inputs` (empty paths among them are ignored).
void check_output_file(const std::string& option, const std::string& path,
                       const std::vector<NamedPath>& inputs = {});

// The same for an output folder (created when missing, with the folders above it): the nearest
// existing folder above it must be writable,
// an existing `path` must be a writable folder, and no input may be that folder.
void check_output_folder(const std::string& option, const std::string& path,
                         const std::vector<NamedPath>& inputs = {});

}  // namespace atelier
