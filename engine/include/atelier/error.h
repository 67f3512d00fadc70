// atelier/error.h — the one exception type of the engine's public API.
//
// Every failure that crosses the public API is an atelier::Error that says what failed and on which
// file or input. The kind lets a front end choose a reaction (the CLI maps it to an exit code).
#pragma once

#include <stdexcept>
#include <string>

namespace atelier {

enum class ErrorKind {
  Usage,      // the caller asked for something impossible (bad option, unknown operation)
  BadInput,   // a file or input is missing, corrupt, foreign or of the wrong shape; or the job
              // needs more memory than the machine has
  Io,         // the file system refused (cannot write, disk full)
  Cancelled,  // should_stop() asked the job to end
  Internal,   // a defect of the program: what no input should ever cause
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

// Shorthands that read well at the throw site: throw bad_input(path + ": not a PNG").
inline Error bad_input(const std::string& message) { return Error(ErrorKind::BadInput, message); }
inline Error usage_error(const std::string& message) { return Error(ErrorKind::Usage, message); }
inline Error io_error(const std::string& message) { return Error(ErrorKind::Io, message); }
inline Error cancelled(const std::string& message) {
  return Error(ErrorKind::Cancelled, message);
}

}  // namespace atelier
