// Fuzz target: presets and --set overrides, read by every method's params struct.
// Input: the preset file's text, then (after a NUL byte) one KEY=VALUE override per line.
#include <cstdint>
#include <string>
#include <vector>

#include "atelier/error.h"
#include "atelier/preset.h"
#include "built_methods.h"
#include "fuzz_support.h"

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t begin = 0;
  while (begin < text.size()) {
    const std::size_t end = std::min(text.find('\n', begin), text.size());
    lines.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return lines;
}

// Each method reads the preset as if it were its own, so every reader sees every input.
void read_as_every_method(atelier::Preset preset) {
  using namespace atelier;
  const std::vector<std::pair<const char*, void (*)(const Preset&)>> readers = {
#if defined(ATELIER_WITH_SINGAN)
    {"singan", [](const Preset& p) { SinganParams::from_preset(p).to_json(); }},
#endif
#if defined(ATELIER_WITH_ANALOGY)
    {"analogy", [](const Preset& p) { AnalogyParams::from_preset(p).to_json(); }},
#endif
#if defined(ATELIER_WITH_VIDEOGEN)
    {"videogen", [](const Preset& p) { VideogenParams::from_preset(p).to_json(); }},
#endif
#if defined(ATELIER_WITH_DISENTANGLE)
    {"disentangle", [](const Preset& p) { DisentangleParams::from_preset(p).to_json(); }},
#endif
#if defined(ATELIER_WITH_MASKTRANSFER)
    {"masktransfer", [](const Preset& p) { MasktransferParams::from_preset(p).to_json(); }},
#endif
#if defined(ATELIER_WITH_ONESHOT)
    {"oneshot", [](const Preset& p) { OneshotParams::from_preset(p).to_json(); }},
#endif
#if defined(ATELIER_WITH_PADAIN)
    {"padain", [](const Preset& p) { PadainParams::from_preset(p).to_json(); }},
#endif
#if defined(ATELIER_WITH_PATCHNN)
    {"patchnn", [](const Preset& p) { PatchnnParams::from_preset(p).to_json(); }},
#endif
  };
  for (const auto& [method, read] : readers) {
    preset.method = method;
    try {
      read(preset);
    } catch (const Error&) {
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::size_t split = std::min(input.find('\0'), input.size());
  const std::string text = input.substr(0, split);
  const std::vector<std::string> overrides =
      split < input.size() ? lines_of(input.substr(split + 1)) : std::vector<std::string>();
  const atelier::fuzz::MemoryFile file(reinterpret_cast<const std::uint8_t*>(text.data()),
                                       text.size());
  try {
    atelier::Preset preset = atelier::load_preset("", file.path());
    atelier::apply_overrides(preset, overrides);
    read_as_every_method(preset);
  } catch (const atelier::Error&) {
  }
  return 0;
}
