#include "preview_renderer.h"

#include <exception>

#include "atelier/compute.h"
#include "queued_call.h"

namespace atelier::ui {

PreviewRenderer::PreviewRenderer(QObject* parent) : QObject(parent) {
  qRegisterMetaType<atelier::ui::RenderOutput>();
}

PreviewRenderer::~PreviewRenderer() = default;

bool PreviewRenderer::request(const QString& key, RenderFunction render) {
  if (key == latestKey_) return false;
  latestKey_ = key;
  worker_.request(
      [this, key, render = std::move(render)](std::uint64_t serial) { run(key, render, serial); });
  return true;
}

void PreviewRenderer::enqueue(const QString& key, RenderFunction render) {
  worker_.enqueue(
      [this, key, render = std::move(render)](std::uint64_t serial) { run(key, render, serial); });
}

void PreviewRenderer::reset() {
  worker_.reset();  // whatever is rendering now arrives stale
  latestKey_.clear();
}

int PreviewRenderer::renderedCount() const {
  return rendered_;
}

int PreviewRenderer::droppedCount() const {
  return dropped_;
}

void PreviewRenderer::run(const QString& key, const RenderFunction& render, std::uint64_t serial) {
  RenderOutput output;
  QString error;
  try {
    atelier::adapt_threads();  // the engine's thread setting, following the machine's load
    output = render();
  } catch (const std::exception& e) {
    error = QString::fromStdString(e.what());
  } catch (...) {
    error = tr("rendering failed");
  }
  // Back on the GUI thread: a result overtaken by a newer request is dropped there.
  queueCall(this, [this, key, serial, output, error] {
    const bool interactive = serial != 0;
    if (interactive && !worker_.is_latest(serial)) {
      ++dropped_;
      return;
    }
    if (interactive) ++rendered_;
    if (!error.isEmpty()) {
      Q_EMIT renderFailed(key, error);
    } else {
      Q_EMIT rendered(key, output, interactive);
    }
  });
}

}  // namespace atelier::ui
