#include "core/device.h"

#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <link.h>
#include <torch/cuda.h>
#include <torch/utils.h>
#include <torch/version.h>

#include <opencv2/core/version.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <thread>

#include "atelier/error.h"
#include "atelier/version.h"

namespace atelier {
namespace {

int logical_cores() { return std::max(1u, std::thread::hardware_concurrency()); }

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
    return torch::cuda::is_available() ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
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
  if (options.threads < 0) throw usage_error("thread count must be 0 (all cores) or more");
  const int threads = options.threads > 0 ? options.threads : logical_cores();
  if (at::get_num_threads() != threads) at::set_num_threads(threads);
  return resolve_device(options).str();
}

void seed_everything(std::uint64_t seed) { torch::manual_seed(seed); }

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
  info.logical_cores = logical_cores();
  info.blas = loaded_blas();
  info.mkldnn = at::hasMKLDNN();
  const std::string config = at::show_config();
  info.cpu_capability = config_value(config, "CPU capability usage");
  info.parallel_info = at::get_parallel_info();
  return info;
}

}  // namespace atelier
