#include "core/pyramid_state.h"

#include <string>

#include "core/param_limits.h"

namespace atelier {

std::vector<ScaleSize> stored_scale_sizes(ParamReader& state, int max_size) {
  const auto pairs = state.get<std::vector<std::vector<int>>>("sizes");
  state.require(!pairs.empty() && pairs.size() <= static_cast<std::size_t>(kMaxPyramidScales),
                {"sizes"}, "sizes must list 1 to " + std::to_string(kMaxPyramidScales) + " scales");
  std::vector<ScaleSize> sizes;
  for (const auto& pair : pairs) {
    const bool fits = pair.size() == 2 && pair[0] >= 1 && pair[1] >= 1 && pair[0] <= max_size &&
                      pair[1] <= max_size;
    state.require(
        fits, {"sizes"},
        "sizes must be [width, height] pairs within max_size " + std::to_string(max_size));
    sizes.push_back({pair[0], pair[1]});
  }
  return sizes;
}

}  // namespace atelier
