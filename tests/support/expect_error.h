// The engine's errors in tests: the kind, and the words the user must read in the message.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

#include "atelier/error.h"

namespace atelier::test {

// Expects `f` to throw atelier::Error of `kind` whose message contains every one of `parts`.
template <class F>
void expect_error(F&& f, ErrorKind kind, std::initializer_list<std::string> parts) {
  try {
    f();
    ADD_FAILURE() << "no error thrown";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    for (const auto& part : parts)
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos)
          << "'" << part << "' not in: " << e.what();
  }
}

}  // namespace atelier::test
