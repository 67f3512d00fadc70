// bench_first_preview.h — `atelier --bench-first-preview`: how long after Train the first
// picture of a training shows in the studio's training panel, for every workspace that trains,
// on the open project's pictures and video at the workspaces' own presets. Each training is
// stopped once its first picture came. Prints a table; returns the exit code.
#pragma once

namespace atelier::ui {
class MainWindow;
}

int runFirstPreviewBenchmark(atelier::ui::MainWindow& window);
