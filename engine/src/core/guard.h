// The public API's edge: library exceptions become atelier::Error with context.
#pragma once

#include <string>
#include <utility>

#include "atelier/error.h"

namespace atelier {

// Rethrows the exception in flight as atelier::Error, prefixed with `context` ("training singan").
// Out of memory (std::bad_alloc, or c10's failed allocation) becomes BadInput: the job is too
// large for this machine. Other c10::Errors become Internal, cv::Exception BadInput,
// atelier::Error passes unchanged.
[[noreturn]] void rethrow_with_context(const std::string& context);

template <class F>
auto guarded(const std::string& context, F&& f) -> decltype(f()) {
  try {
    return std::forward<F>(f)();
  } catch (...) {
    rethrow_with_context(context);
  }
}

}  // namespace atelier
