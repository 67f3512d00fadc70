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

// A child running beside the test, its stdout and stderr going to files (for several processes
// that must run at once).
struct BackgroundProcess {
  int pid = -1;
  std::string out_path, err_path;
};
BackgroundProcess start_process(const std::string& program, const std::vector<std::string>& args,
                                const std::string& out_path, const std::string& err_path);
// Waits for it at most timeout_ms: the result with what it wrote, or exit_code -2 when it was
// still running. Then it and every process it started are killed, and err ends with what each of
// their threads was doing (and their stacks where gdb is installed), so that a hang says where.
ProcessResult wait_process(const BackgroundProcess& process, int timeout_ms);

}  // namespace atelier::test
