#include "core/machine_load.h"

#include <sched.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

namespace atelier {
namespace {

double clock_s(clockid_t clock) {
  timespec t{};
  clock_gettime(clock, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

std::vector<int> allowed_cpus() {
  std::vector<int> cpus;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
      if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  }
  if (cpus.empty()) {
    const int n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    for (int cpu = 0; cpu < n; ++cpu) cpus.push_back(cpu);
  }
  return cpus;
}

}  // namespace

MachineLoad::MachineLoad() : cpus_(allowed_cpus()), last_(read()) {}

// /proc/stat has one line per CPU: "cpuN user nice system idle iowait irq softirq steal ...", in
// clock ticks. Busy is everything but idle, iowait and steal (time the hypervisor gave to other
// machines, which fewer threads would not win back).
MachineLoad::Reading MachineLoad::read() const {
  Reading r;
  r.wall_s = clock_s(CLOCK_MONOTONIC);
  r.own_s = clock_s(CLOCK_PROCESS_CPUTIME_ID);
  std::ifstream stat("/proc/stat");
  if (!stat) return r;
  const double tick_s = 1.0 / static_cast<double>(std::max(1L, sysconf(_SC_CLK_TCK)));
  std::string line;
  int found = 0;
  while (std::getline(stat, line)) {
    if (line.rfind("cpu", 0) != 0) break;                             // the CPU lines come first
    if (line.size() < 4 || line[3] < '0' || line[3] > '9') continue;  // the "cpu" total line
    std::istringstream fields(line.substr(3));
    int cpu = -1;
    unsigned long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0;
    fields >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq;
    if (!fields || !std::binary_search(cpus_.begin(), cpus_.end(), cpu)) continue;
    r.busy_s += static_cast<double>(user + nice + system + irq + softirq) * tick_s;
    ++found;
  }
  r.valid = found > 0;
  return r;
}

double MachineLoad::others_since_last() {
  return usage_since_last().others;
}

MachineLoad::Usage MachineLoad::usage_since_last() {
  const Reading now = read();
  const Reading before = last_;
  last_ = now;
  const double wall = now.wall_s - before.wall_s;
  if (!now.valid || !before.valid || wall <= 0) return {};
  // The kernel counts in ticks and this process's clock in nanoseconds: small differences of
  // either sign are rounding.
  const double own = (now.own_s - before.own_s) / wall;
  const double others = (now.busy_s - before.busy_s) / wall - own;
  const double most = static_cast<double>(cores());
  return {std::clamp(others, 0.0, most), std::clamp(own, 0.0, most)};
}

double MachineLoad::seconds_since_last() const {
  return clock_s(CLOCK_MONOTONIC) - last_.wall_s;
}

int threads_for_load(double others, int cores, int max_threads, int current) {
  max_threads = std::max(1, max_threads);
  if (others < 0) return max_threads;
  const auto fit = [&](double taken) {
    return std::clamp(cores - static_cast<int>(std::floor(taken)), 1, max_threads);
  };
  const int fewer = fit(others + 0.6);  // a core counts as taken from 0.4 of it on
  const int more = fit(others + 0.75);  // and as free again under 0.25
  if (fewer < current) return fewer;
  if (more > current) return more;
  return std::clamp(current, 1, max_threads);
}

bool spin_for_load(const MachineLoad::Usage& usage, int cores, bool spinning) {
  if (usage.others < 0) return false;
  if (spinning) return usage.own >= 0.85;
  return static_cast<double>(cores) - usage.others - usage.own >= 0.15;
}

}  // namespace atelier
