#include "core/device.h"

#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <link.h>
#include <torch/cuda.h>
#include <torch/utils.h>
#include <torch/version.h>

#include <opencv2/core/version.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <thread>

#include "atelier/error.h"
#include "atelier/version.h"
#include "core/heap_tuning.h"
#include "core/machine_load.h"

namespace atelier {
namespace {

int logical_cores() {
  return std::max(1u, std::thread::hardware_concurrency());
}

// More threads than this per core only add waiting (and 100,000 of them would hang the machine).
constexpr int kMostThreadsPerCore = 4;

// How often automatic threads look at the machine's load again, and the shortest first look.
constexpr double kLoadWindow_s = 0.3;
constexpr double kFirstLook_s = 0.1;

// The load of the rest of the machine, shared by every thread of the process that computes.
class LoadWatch {
 public:
  static LoadWatch& instance() {
    static LoadWatch watch;
    return watch;
  }
  int cores() const { return cores_; }

  // Other programs' use of our cores, in cores: the latest estimate, renewed when it is older than
  // kLoadWindow_s. With `first_look`, an estimate that does not exist yet is measured now (the
  // caller waits up to kFirstLook_s); otherwise it counts as unknown (< 0).
  double others(bool first_look) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!measured_ && first_look) {
      const double wait = kFirstLook_s - load_.seconds_since_last();
      if (wait > 0) std::this_thread::sleep_for(std::chrono::duration<double>(wait));
    }
    if (load_.seconds_since_last() >= (measured_ ? kLoadWindow_s : kFirstLook_s)) {
      others_ = load_.others_since_last();
      measured_ = true;
    }
    return measured_ ? others_ : -1;
  }

 private:
  LoadWatch() : cores_(load_.cores()) {}
  std::mutex mutex_;
  MachineLoad load_;
  int cores_;
  double others_ = -1;
  bool measured_ = false;
};

// The thread setting asked for (0: automatic, N: fixed). OpenMP keeps a thread count per calling
// thread, so each thread that computes keeps its setting; a thread never told (a renderer) follows
// the process's latest one.
constexpr int kUnset = -1;
std::atomic<int> process_threads{kUnset};
thread_local int thread_threads = kUnset;

int requested_threads() {
  return thread_threads != kUnset ? thread_threads : process_threads.load();
}

void set_threads(int threads) {
  if (at::get_num_threads() != threads) at::set_num_threads(threads);
}

// Sets the calling thread's count for the machine's load. The first look starts from every core,
// so that a load under the threshold does not keep a thread count set before.
void follow_load(bool first_look) {
  LoadWatch& watch = LoadWatch::instance();
  const double others = watch.others(first_look);
  const int current = first_look ? watch.cores() : at::get_num_threads();
  set_threads(threads_for_load(others, watch.cores(), watch.cores(), current));
}

// The BLAS torch really calls: Debian's LibTorch links libblas.so.3, which the alternatives system
// points at reference BLAS or OpenBLAS. Resolve the loaded library's real file to tell which.
std::string loaded_blas() {
  std::string found;
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* data) -> int {
        std::string name = info->dlpi_name ? info->dlpi_name : "";
        const std::string base = std::filesystem::path(name).filename().string();
        if (base.find("blas") == std::string::npos && base.find("mkl_rt") == std::string::npos)
          return 0;
        std::error_code ec;
        auto real = std::filesystem::canonical(name, ec);
        auto& out = *static_cast<std::string*>(data);
        if (!out.empty()) out += ", ";
        out += ec ? name : real.string();
        return 0;
      },
      &found);
  return found.empty() ? "none loaded" : found;
}

std::string config_value(const std::string& config, const std::string& key) {
  std::istringstream in(config);
  std::string line;
  while (std::getline(in, line)) {
    auto pos = line.find(key);
    if (pos == std::string::npos) continue;
    std::string value = line.substr(pos + key.size());
    value.erase(0, value.find_first_not_of(" :="));
    auto end = value.find_first_of(",\n");
    return end == std::string::npos ? value : value.substr(0, end);
  }
  return "";
}

}  // namespace

torch::Device resolve_device(const ComputeOptions& options) {
  const std::string& name = options.device;
  if (name.empty() || name == "auto")
    return torch::cuda::is_available()
               ? torch::Device(torch::kCUDA,
                               static_cast<c10::DeviceIndex>(
                                   std::max(0, options.auto_cuda_device) %
                                   std::max<std::size_t>(1, torch::cuda::device_count())))
               : torch::Device(torch::kCPU);
  if (name == "cpu") return torch::kCPU;
  if (name.rfind("cuda", 0) == 0) {
    if (!torch::cuda::is_available())
      throw usage_error("device '" + name + "' was asked for, but no CUDA device is available");
    int index = 0;
    if (name.size() > 4) {
      if (name[4] != ':' || name.size() == 5 ||
          name.find_first_not_of("0123456789", 5) != std::string::npos)
        throw usage_error("unknown device '" + name + "' (use auto, cpu, cuda or cuda:N)");
      index = std::atoi(name.c_str() + 5);
    }
    if (index >= static_cast<int>(torch::cuda::device_count()))
      throw usage_error("device '" + name + "' does not exist (" +
                        std::to_string(torch::cuda::device_count()) + " CUDA devices)");
    return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
  }
  throw usage_error("unknown device '" + name + "' (use auto, cpu, cuda or cuda:N)");
}

std::string apply_compute_options(const ComputeOptions& options) {
  if (options.threads < 0) throw usage_error("thread count must be 0 (automatic) or more");
  if (options.threads > kMostThreadsPerCore * logical_cores())
    throw usage_error("thread count " + std::to_string(options.threads) + " is more than " +
                      std::to_string(kMostThreadsPerCore) + " per core of this machine (" +
                      std::to_string(logical_cores()) + " cores)");
  keep_freed_memory_for_reuse();  // every job frees and reallocates its activations each step
  thread_threads = options.threads;
  process_threads = options.threads;
  if (options.threads == 0) {
    follow_load(true);
  } else {
    set_threads(options.threads);
  }
  return resolve_device(options).str();
}

void adapt_threads() {
  const int requested = requested_threads();
  if (requested == 0) {
    follow_load(false);
  } else if (requested > 0) {
    set_threads(requested);
  }
}

double other_programs_load() {
  return LoadWatch::instance().others(true);
}

void seed_everything(std::uint64_t seed) {
  torch::manual_seed(seed);
}

torch::Device prepare_compute(const ComputeOptions& options, std::uint64_t seed) {
  apply_compute_options(options);
  seed_everything(seed);
  return resolve_device(options);
}

SystemInfo system_info() {
  SystemInfo info;
  info.atelier_version = ATELIER_VERSION;
  info.torch_version = TORCH_VERSION;
  info.opencv_version = CV_VERSION;
  info.cuda_available = torch::cuda::is_available();
  info.cuda_devices = static_cast<int>(torch::cuda::device_count());
  info.threads = at::get_num_threads();
  info.automatic_threads = requested_threads() == 0;
  info.logical_cores = logical_cores();
  info.usable_cores = LoadWatch::instance().cores();
  info.others_load = other_programs_load();
  info.blas = loaded_blas();
  info.mkldnn = at::hasMKLDNN();
  const std::string config = at::show_config();
  info.cpu_capability = config_value(config, "CPU capability usage");
  info.parallel_info = at::get_parallel_info();
  return info;
}

}  // namespace atelier
