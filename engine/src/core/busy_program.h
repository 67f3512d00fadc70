// Another program that keeps one core busy, for benchmarks and tests of the thread settings: a
// shell loop that runs until this object dies (or this process does).
#pragma once

#include <sys/types.h>

namespace atelier {

class BusyProgram {
 public:
  BusyProgram();   // starts it; throws Error(Internal) when it cannot
  ~BusyProgram();  // kills it and waits for it
  BusyProgram(const BusyProgram&) = delete;
  BusyProgram& operator=(const BusyProgram&) = delete;

 private:
  pid_t pid_ = -1;
};

}  // namespace atelier
