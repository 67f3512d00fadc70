// atelier/compute.h — where the engine computes: device, CPU threads, seeds, and what the machine is.
#pragma once

#include <cstdint>
#include <string>

namespace atelier {

struct ComputeOptions {
  std::string device = "auto";  // "auto" (CUDA when present), "cpu", "cuda" or "cuda:N"
  int threads = 0;              // CPU intra-op threads; 0: every logical core
};

// Applies the thread count (process-wide) and returns the device that will be used, as text
// ("cpu", "cuda:0"). Throws Error(Usage) for an unknown device or CUDA asked where there is none.
std::string apply_compute_options(const ComputeOptions& options);

// Seeds every random source the engine uses (torch CPU and CUDA generators, std engines made by
// the engine). With the same seed, a CPU run repeats bit for bit.
void seed_everything(std::uint64_t seed);

struct SystemInfo {
  std::string atelier_version;
  std::string torch_version;
  std::string opencv_version;
  std::string qt_version;       // filled by front ends that link Qt; empty in the engine
  bool cuda_available = false;
  int cuda_devices = 0;
  std::string cuda_device_name;
  int threads = 0;              // current intra-op threads
  int logical_cores = 0;
  std::string blas;             // BLAS library torch calls for matrix products
  bool mkldnn = false;          // oneDNN available to torch
  std::string cpu_capability;   // torch's dispatch level (AVX2, AVX512, ...)
  std::string parallel_info;    // torch's own summary of threading back ends
};
SystemInfo system_info();

}  // namespace atelier
