// The public API's edge: library exceptions become atelier::Error with context.
#pragma once

#include <string>
#include <utility>

#include "atelier/error.h"

namespace atelier {

// Rethrows the exception in flight as atelier::Error, prefixed with `context` ("training singan").
// c10::Error and std::bad_alloc become Internal ("out of memory"), cv::Exception BadInput,
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
