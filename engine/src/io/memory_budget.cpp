#include "io/memory_budget.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>

#include "atelier/error.h"

namespace atelier {
namespace {

constexpr std::uint64_t kUnknown = std::numeric_limits<std::uint64_t>::max();

// "MemAvailable:   12345678 kB" -> bytes.
std::uint64_t meminfo_available() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::uint64_t kib = 0;
  std::string unit;
  while (in >> key >> kib) {
    std::getline(in, unit);
    if (key == "MemAvailable:") return kib * 1024;
  }
  return kUnknown;
}

std::uint64_t read_number(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text == "max") return kUnknown;
  char* end = nullptr;
  const unsigned long long value = std::strtoull(text.c_str(), &end, 10);
  return end && *end == '\0' ? value : kUnknown;
}

// What the cgroup (v2) this process runs in still allows.
std::uint64_t cgroup_available() {
  std::ifstream in("/proc/self/cgroup");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("0::", 0) != 0) continue;
    const std::string dir = "/sys/fs/cgroup" + line.substr(3);
    const std::uint64_t limit = read_number(dir + "/memory.max");
    const std::uint64_t used = read_number(dir + "/memory.current");
    if (limit == kUnknown || used == kUnknown) return kUnknown;
    return limit > used ? limit - used : 0;
  }
  return kUnknown;
}

std::uint64_t user_cap() {
  const char* text = std::getenv("ATELIER_MAX_MEMORY_MB");
  if (!text || !*text) return kUnknown;
  char* end = nullptr;
  const unsigned long long mb = std::strtoull(text, &end, 10);
  return end && *end == '\0' ? static_cast<std::uint64_t>(mb) << 20 : kUnknown;
}

}  // namespace

std::uint64_t memory_available_bytes() {
  return std::min({meminfo_available(), cgroup_available(), user_cap()});
}

std::string bytes_text(double bytes) {
  char text[32];
  if (bytes >= 1e9)
    std::snprintf(text, sizeof text, "%.1f GB", bytes / 1e9);
  else
    std::snprintf(text, sizeof text, "%.0f MB", std::max(1.0, bytes / 1e6));
  return text;
}

// Calibrated on singan and videogen runs (peak resident memory against these estimates): a
// ConvBlock keeps its convolution's and its normalisation's outputs, and the backward pass as
// much again in gradients; a forward pass without gradients holds its input and two outputs.
double conv_training_bytes(double units, int width, int layers) {
  return 4.0 * 4.0 * units * width * layers;
}

double conv_inference_bytes(double units, int width) {
  return 4.0 * 3.0 * units * width;
}

void require_memory(double bytes, const std::string& what, const std::string& advice) {
  const std::uint64_t available = memory_available_bytes();
  if (available == kUnknown || bytes <= static_cast<double>(available)) return;
  throw bad_input(what + " needs about " + bytes_text(bytes) + ", more than the " +
                  bytes_text(static_cast<double>(available)) + " this machine has available; " +
                  advice);
}

}  // namespace atelier
