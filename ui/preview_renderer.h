// preview_renderer.h — one renderer thread for interactive previews: the latest request wins.
//
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
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

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
  struct Job {
    QString key;
    RenderFunction render;
    quint64 serial = 0;  // interactive jobs: the request's number; background: 0
  };
  void loop();
  void deliver(const Job& job, const RenderOutput& output, const QString& error);

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<Job> latest_;
  std::deque<Job> background_;
  QString latestKey_;   // key of the newest interactive request (GUI thread)
  quint64 serial_ = 0;  // number of the newest interactive request
  int rendered_ = 0;
  int dropped_ = 0;
  bool quit_ = false;
  std::thread thread_;
};

}  // namespace atelier::ui

Q_DECLARE_METATYPE(atelier::ui::RenderOutput)
