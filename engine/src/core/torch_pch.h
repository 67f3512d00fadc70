// Precompiled header for the engine's torch-using targets. Parsing LibTorch's headers costs ~20 s
// per file on a 2-core machine; precompiling them once makes each file cost a fraction of that.
#pragma once
#include <torch/torch.h>
