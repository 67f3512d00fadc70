// How busy other programs keep the cores this process runs on, how many compute threads that
// leaves room for, and whether a data-parallel rank may spin while it waits. Torch-free:
// compute.cpp and data_parallel.cpp apply the answers.
//
// Why: LibTorch's OpenMP threads wait for each other at the end of every parallel operation. With
// as many threads as cores and one core taken by another program, every operation waits for a
// thread that is not running; measured on a 2-core machine, a tiny singan training went from 2.2 s
// (1 thread) to 57 s (2 threads) beside one busy program. Leaving that core to the other program
// keeps the training at the 1-thread speed; taking it back when it is free keeps the 2-thread one.
#pragma once

#include <vector>

namespace atelier {

class MachineLoad {
 public:
  MachineLoad();  // takes the first reading

  // The cores this process may run on (its CPU affinity).
  int cores() const { return static_cast<int>(cpus_.size()); }

  // CPU time that other programs spent on those cores since the previous reading, per second of
  // wall time, in cores (0: the rest of the machine idles; cores(): it keeps every core busy).
  // Takes a new reading. Negative where the kernel's counters cannot be read (not Linux).
  double others_since_last();

  // The same reading with this process's own use beside it (in cores; negative both where the
  // counters cannot be read).
  struct Usage {
    double others = -1;
    double own = -1;
  };
  Usage usage_since_last();

  // Wall seconds since the previous reading.
  double seconds_since_last() const;

 private:
  struct Reading {
    double wall_s = 0;
    double busy_s = 0;  // CPU time every program spent on our cores (/proc/stat)
    double own_s = 0;   // CPU time of this process
    bool valid = false;
  };
  Reading read() const;

  std::vector<int> cpus_;
  Reading last_;
};

// The intra-op thread count to use now, running `current` threads, when other programs keep
// `others` cores busy out of `cores`: one thread fewer for each core they take (from 0.4 of a core
// on), back up once they leave that core nearly idle (under 0.25). Between 1 and `max_threads`.
// A negative `others` (unknown) means max_threads.
int threads_for_load(double others, int cores, int max_threads, int current);

// Whether a process that waits on the network for other processes (a data-parallel rank) should
// spin while it waits rather than sleep, given the last period's usage and whether it spins now.
// Spinning answers sooner, but keeps a core from everything else. It starts only while some of the
// `cores` went unused (0.15 of a core or more), i.e. while no other program is kept waiting for a
// core, and goes on while the process still gets a core of its own (at least 0.85): beside a
// program that wants the core, the kernel shares it and the process gets less.
bool spin_for_load(const MachineLoad::Usage& usage, int cores, bool spinning);

}  // namespace atelier
