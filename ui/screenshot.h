// screenshot.h — saves a picture of the main window once it has settled (used by --screenshot).
#pragma once

#include <QString>
#include <functional>

namespace atelier::ui {

class MainWindow;

// Waits until the window is settled (thumbnails in, viewer decoded) or `timeoutMs` has passed,
// lets it paint for `settleMs` more, then saves window->grab() to `fileName` (format by
// extension) and calls done(ok, message). Returns at once; the work happens in the event loop.
void saveScreenshotWhenSettled(MainWindow* window, const QString& fileName, int timeoutMs,
                               int settleMs,
                               std::function<void(bool ok, const QString& message)> done);

}  // namespace atelier::ui
