#include "bench_sliders.h"

#include <QSignalBlocker>
#include <cstdio>

#include "attribute_transfer_page.h"
#include "document.h"
#include "main_window.h"
#include "slider_benchmark.h"
#include "sliders_page.h"
#include "transfer_model.h"
#include "wait_for.h"

using namespace atelier::ui;

int runSliderBenchmark(MainWindow& window, const QString& model, int moves) {
  AttributeTransferPage* transfer = window.attributeTransferPage();
  SlidersPage* sliders = window.slidersPage();
  QString error;
  QObject::connect(&window, &MainWindow::errorShown, [&](const QString& m) { error = m; });
  transfer->loadModelFile(model);
  if (!waitFor([&] { return transfer->hasModel() || !error.isEmpty(); }, 60000) ||
      !transfer->hasModel()) {
    std::fprintf(stderr, "atelier: %s\n",
                 qPrintable(error.isEmpty() ? QStringLiteral("cannot load ") + model : error));
    return 2;
  }
  Document* document = window.document();
  QStringList images;
  for (int i = 0; i < document->mediaCount(); ++i) {
    if (document->media(i).kind == MediaKind::Image) images.append(document->media(i).path);
  }
  if (images.size() < 2) {
    std::fprintf(stderr, "atelier: the project needs two pictures for the slider benchmark\n");
    return 2;
  }
  window.showWorkspace(QString::fromLatin1(SliderState::kWorkspaceId));
  sliders->chooseImages(images[0], images[1]);
  // The first picture also encodes both images: not a slider move, so not timed.
  if (!waitFor([&] { return !sliders->shownKey().isEmpty(); }, 60000)) {
    std::fprintf(stderr, "atelier: the first picture never came\n");
    return 1;
  }
  const std::optional<SliderBenchResult> r = benchmarkSliders(sliders, moves, &error);
  if (!r) {
    std::fprintf(stderr, "atelier: %s\n", qPrintable(error));
    return 1;
  }
  const int size = transfer->model()->imageSize();
  std::printf("slider move to new image on the canvas, %d moves, %d px (%s):\n", r->moves, size,
              transfer->model()->method().c_str());
  std::printf("  median %.1f ms, p90 %.1f ms, max %.1f ms (target: median under 50 ms)\n",
              r->medianMs, r->p90Ms, r->maxMs);
  return 0;
}
