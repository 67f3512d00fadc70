// Ranges of atelier-cli's numeric options. CLI11's own checks let "nan" through (every comparison
// with NaN is false) and its unsigned conversion reads "-1" as 18446744073709551615; these refuse
// both, and say the range.
#pragma once

#include <CLI/CLI.hpp>

#include <limits>

namespace atelier::cli {

// Bounds shared by several commands' options.
constexpr double kMaxImages = 1000;     // samples, steps of a strip, pictures written at once
constexpr double kMaxFrames = 10000;    // frames of an animation or a generated video
constexpr double kMaxScaleOption = 32;  // a scale or level index (pyramids have at most 32)
constexpr double kMaxThreads = 1024;    // --threads: more than any machine Atelier runs on
constexpr double kMaxWorldSize = 4096;  // --world-size: processes of one data-parallel training

// A finite number in [min, max].
CLI::Validator number_in(double min, double max = std::numeric_limits<double>::max());

// A seed: a whole number from 0 to 2^64 - 1, written in decimal.
CLI::Validator seed_value();

}  // namespace atelier::cli
