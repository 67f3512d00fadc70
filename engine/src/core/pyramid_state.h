// The pyramid sizes a model file stores (singan, analogy), read and checked before anything is
// allocated from them.
#pragma once

#include <vector>

#include "atelier/preset.h"
#include "core/pyramid.h"

namespace atelier {

// "sizes": [[width, height], ...], coarsest first: 1 to kMaxPyramidScales scales, each side in
// 1 .. max_size (a pyramid is fitted into max_size; a larger stored size is a crafted file that
// would make every sample allocate for it). Errors name the file through `state`.
std::vector<ScaleSize> stored_scale_sizes(ParamReader& state, int max_size);

}  // namespace atelier
