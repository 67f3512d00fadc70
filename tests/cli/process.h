// Runs a child process and collects what it printed — for end-to-end tests of executables.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace atelier::test {

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out;
  std::string err;
};

// Runs `program args...`. on_stdout_line, when given, sees each stdout line as it arrives and
// may return true to send SIGINT to the child once (to test Ctrl-C handling). With
// interrupt_after_ms >= 0 the child also gets SIGINT that long after it started (for commands
// that print nothing while they work).
ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          const std::function<bool(const std::string&)>& on_stdout_line = {},
                          int interrupt_after_ms = -1);

}  // namespace atelier::test
