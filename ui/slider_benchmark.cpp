#include "slider_benchmark.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QSlider>
#include <QTimer>
#include <algorithm>
#include <vector>

#include "sliders_page.h"

namespace atelier::ui {

namespace {
constexpr int kTimeoutMs = 30000;  // one image
}

std::optional<SliderBenchResult> benchmarkSliders(SlidersPage* page, int moves, QString* error) {
  QSlider* slider = page->slider(SliderState::Toward);
  if (!slider->isEnabled()) {
    *error = QStringLiteral("the sliders are not ready (no model or no images chosen)");
    return std::nullopt;
  }
  std::vector<double> ms;
  for (int i = 0; i < moves; ++i) {
    // Sweep across the range: every move asks for a picture not rendered just before.
    const int span = slider->maximum() - slider->minimum();
    int value = slider->minimum() + 1 + i % std::max(1, span - 1);
    if (value == slider->value()) value = value == slider->maximum() ? value - 1 : value + 1;
    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    bool shown = false;
    const auto connection = QObject::connect(page, &SlidersPage::resultShown, &loop, [&] {
      shown = true;
      loop.quit();
    });
    QElapsedTimer clock;
    clock.start();
    slider->setValue(value);
    timeout.start(kTimeoutMs);
    if (!shown) loop.exec();
    QObject::disconnect(connection);
    if (!shown) {
      *error =
          QStringLiteral("no image within %1 s after move %2").arg(kTimeoutMs / 1000).arg(i + 1);
      return std::nullopt;
    }
    ms.push_back(clock.nsecsElapsed() / 1e6);
  }
  std::sort(ms.begin(), ms.end());
  SliderBenchResult r;
  r.moves = moves;
  r.medianMs = ms[ms.size() / 2];
  r.p90Ms = ms[std::min(ms.size() - 1, ms.size() * 9 / 10)];
  r.maxMs = ms.back();
  return r;
}

}  // namespace atelier::ui
