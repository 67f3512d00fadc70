// torch::optim::Adam whose step updates each parameter that lives on the CPU in one pass over its
// values (the moments and the parameter together), as PyTorch's fused Adam does. LibTorch 1.13's
// Adam makes about ten small operations of each parameter, whose dispatch cost more than their
// arithmetic on the small layers of this project's networks (a singan step at 46x46 px made
// about 860 of them). The state, options and saved form are Adam's own, so model files and
// resumable archives are unchanged; parameters elsewhere (a GPU), other layouts and amsgrad take
// Adam's own step.
#pragma once

#include <torch/optim/adam.h>

namespace atelier::nn {

class FusedAdam : public torch::optim::Adam {
 public:
  using torch::optim::Adam::Adam;
  torch::Tensor step(LossClosure closure = nullptr) override;
};

}  // namespace atelier::nn
