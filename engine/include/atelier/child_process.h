// atelier/child_process.h — a program started beside this one: the other ranks of a training on
// this machine, and one training per input of a list. posix_spawn, so that this process's memory
// is not copied; the child's output goes where it is told.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace atelier {

class ChildProcess {
 public:
  // Starts `program` with `args` (args[0] is its name as it sees it). `out` and `err`: empty
  // inherits this process's stream, a path (such as /dev/null) is opened for writing.
  // Error(Io) naming the program when it cannot start.
  ChildProcess(const std::string& program, const std::vector<std::string>& args,
               const std::string& out = "", const std::string& err = "");
  // Kills a child still running, and waits for it.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Waits at most timeout_ms (< 0: for as long as it runs). The exit code; a child ended by
  // SIGINT counts as stopped (3), by another signal as failed (4); -1 while it still runs.
  int wait(int timeout_ms = -1);

 private:
  pid_t pid_ = -1;
  int exit_code_ = -1;
};

}  // namespace atelier
