// The corruption suite of the robustness report, after ImageNet-C (Hendrycks and Dietterich, ICLR
// 2019) with strengths set for 28 px images: Gaussian, shot and impulse noise; defocus and motion
// blur; brightness; contrast; haze; pixelation; JPEG. Severities 1 to 5.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <string>

namespace atelier::padain {

// images: N x C x H x W uint8. Returns the corrupted images, same shape and type. The random
// parts (noise, blur direction, haze) depend only on the seed and the corruption, not on the
// severity: a higher severity scales the same pattern. Error(Usage) for an unknown name or a
// severity outside 1..5.
torch::Tensor corrupt(const torch::Tensor& images, const std::string& name, int severity,
                      std::uint64_t seed);

}  // namespace atelier::padain
