// atelier/exit_code.h — how a program built on the engine ends on an error: one table for
// atelier-cli and atelier-viewer.
#pragma once

#include "atelier/error.h"

namespace atelier {

// The exit code of a program that ends on an error of this kind, the same for atelier-cli and
// atelier-viewer (README: 1 usage, 2 bad input, 3 cancelled, 4 internal).
inline int exit_code_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Usage:
      return 1;
    case ErrorKind::BadInput:
    case ErrorKind::Io:
      return 2;
    case ErrorKind::Cancelled:
      return 3;
    case ErrorKind::Internal:
      return 4;
  }
  return 4;
}

}  // namespace atelier
