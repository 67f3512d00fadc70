#include "core/busy_program.h"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "atelier/error.h"

extern char** environ;

namespace atelier {

// A shell loop: a program of its own, started with posix_spawn (no copy of this process's memory,
// which fork() would make this process pay for in page faults). It ends by itself when this
// process is gone, even one that was killed.
BusyProgram::BusyProgram() {
  char sh[] = "/bin/sh", c[] = "-c", loop[] = "while kill -0 $PPID 2>/dev/null; do :; done";
  char* argv[] = {sh, c, loop, nullptr};
  const int error = posix_spawn(&pid_, "/bin/sh", nullptr, nullptr, argv, environ);
  if (error != 0) {
    pid_ = -1;
    throw Error(ErrorKind::Internal,
                std::string("cannot start a busy program (/bin/sh): ") + std::strerror(error));
  }
}

BusyProgram::~BusyProgram() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace atelier
