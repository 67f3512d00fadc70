// atelier/compute.h — where the engine computes: device, CPU threads, seeds, and what the machine
// is.
#pragma once

#include <cstdint>
#include <string>

namespace atelier {

struct ComputeOptions {
  std::string device = "auto";  // "auto" (CUDA when present), "cpu", "cuda" or "cuda:N"
  // CPU intra-op threads. 0: automatic, every core this process may use while the rest of the
  // machine idles, one fewer for each core another program keeps busy (see adapt_threads).
  int threads = 0;
  // Which CUDA device "auto" takes, modulo the machine's count: a data-parallel rank's place on
  // its machine (LOCAL_RANK), so the ranks of one machine spread over its GPUs. (Last, so that
  // {device, threads} initialisers keep their meaning.)
  int auto_cuda_device = 0;
};

// Applies the thread setting to the calling thread, and to threads that compute without ever
// having been given one (renderers, see adapt_threads), and returns the device that will be used,
// as text ("cpu", "cuda:0"). Automatic threads look at the machine's load first (the first call
// in a process waits up to 0.1 s for it). Throws Error(Usage) for an unknown device or CUDA asked
// where there is none.
std::string apply_compute_options(const ComputeOptions& options);

// Call between units of work (a training step, a render): with automatic threads, follows the
// machine's load; on a thread never given a setting, takes the process's latest one. Cheap: it
// looks at the load at most every 0.3 s and never waits.
void adapt_threads();

// Seeds every random source the engine uses (torch CPU and CUDA generators, std engines made by
// the engine). With the same seed, a CPU run repeats bit for bit.
void seed_everything(std::uint64_t seed);

struct SystemInfo {
  std::string atelier_version;
  std::string torch_version;
  std::string opencv_version;
  std::string qt_version;  // filled by front ends that link Qt; empty in the engine
  bool cuda_available = false;
  int cuda_devices = 0;
  std::string cuda_device_name;
  int threads = 0;                 // current intra-op threads of the calling thread
  bool automatic_threads = false;  // the calling thread follows the machine's load
  int logical_cores = 0;
  int usable_cores = 0;        // the cores this process may run on (its CPU affinity)
  double others_load = -1;     // cores that other programs keep busy now; < 0 unknown
  std::string blas;            // BLAS library torch calls for matrix products
  bool mkldnn = false;         // oneDNN available to torch
  std::string cpu_capability;  // torch's dispatch level (AVX2, AVX512, ...)
  std::string parallel_info;   // torch's own summary of threading back ends
};
SystemInfo system_info();

}  // namespace atelier
