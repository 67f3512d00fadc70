// slider_benchmark.h — how long a slider move takes to show its new image, measured on the real
// widgets (`atelier --bench-sliders MODEL`): the slider is moved as a user moves it, the move goes
// through the undo command and the renderer, and the time runs until the canvas has the image.
#pragma once

#include <QString>
#include <optional>

namespace atelier::ui {

class SlidersPage;

struct SliderBenchResult {
  int moves = 0;
  double medianMs = 0;
  double p90Ms = 0;
  double maxMs = 0;
};

// Moves the "toward" slider of `page` (its model and images chosen) `moves` times, one at a
// time, each to a new value, and waits for each image. Nothing on failure, *error says why.
std::optional<SliderBenchResult> benchmarkSliders(SlidersPage* page, int moves, QString* error);

}  // namespace atelier::ui
