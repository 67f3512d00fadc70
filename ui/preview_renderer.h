// preview_renderer.h — one renderer thread for interactive previews: the latest request wins.
//
// The studio's face of the engine's LatestWorker (the same core as atelier-viewer's renderer):
// request() replaces whatever request is still waiting (only the newest matters to a slider) and
// skips a request whose key equals the newest request's (being shown, rendering or waiting). A
// result whose request was overtaken by a newer one is dropped, never shown. enqueue() adds
// background work (history thumbnails) that runs only when no interactive request waits. Render
// functions run on the renderer's thread and must not touch widgets; they may throw (the message
// comes back).
#pragma once

#include <QImage>
#include <QObject>
#include <QString>
#include <cstdint>
#include <functional>

#include "atelier/latest_worker.h"

namespace atelier::ui {

struct RenderOutput {
  QImage image;
  QImage mask;  // optional (masktransfer)
};

using RenderFunction = std::function<RenderOutput()>;

class PreviewRenderer : public QObject {
  Q_OBJECT

 public:
  explicit PreviewRenderer(QObject* parent = nullptr);
  ~PreviewRenderer() override;  // finishes the render in progress, drops the rest

  // The interactive request. False when skipped (same key as the latest one).
  bool request(const QString& key, RenderFunction render);
  // Background work, first in first out, after interactive requests.
  void enqueue(const QString& key, RenderFunction render);
  // Forgets waiting work and the latest key (the model changed: same keys mean new pictures).
  void reset();

  int renderedCount() const;  // interactive renders done (for tests and benchmarks)
  int droppedCount() const;   // interactive results overtaken before they arrived

 Q_SIGNALS:
  // Only for the newest interactive request (interactive = true) or for background work.
  void rendered(const QString& key, const atelier::ui::RenderOutput& output, bool interactive);
  void renderFailed(const QString& key, const QString& message);

 private:
  // On the renderer's thread: renders, then hands the result to the GUI thread.
  void run(const QString& key, const RenderFunction& render, std::uint64_t serial);

  QString latestKey_;  // key of the newest interactive request (GUI thread)
  int rendered_ = 0;   // counted on the GUI thread, where results arrive
  int dropped_ = 0;
  atelier::LatestWorker worker_;  // last: its thread stops before the rest goes
};

}  // namespace atelier::ui

Q_DECLARE_METATYPE(atelier::ui::RenderOutput)
