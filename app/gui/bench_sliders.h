// bench_sliders.h — `atelier --bench-sliders MODEL`: the slider-latency benchmark on the real
// widgets of a window (see ui/slider_benchmark.h). Prints the figures; returns the exit code.
#pragma once

#include <QString>

namespace atelier::ui {
class MainWindow;
}

int runSliderBenchmark(atelier::ui::MainWindow& window, const QString& model, int moves);
