#include "preview_renderer.h"

#include <exception>

#include "atelier/compute.h"
#include "queued_call.h"

namespace atelier::ui {

PreviewRenderer::PreviewRenderer(QObject* parent) : QObject(parent) {
  qRegisterMetaType<atelier::ui::RenderOutput>();
  thread_ = std::thread([this] { loop(); });
}

PreviewRenderer::~PreviewRenderer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    quit_ = true;
    latest_.reset();
    background_.clear();
  }
  wake_.notify_all();
  thread_.join();
}

bool PreviewRenderer::request(const QString& key, RenderFunction render) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (key == latestKey_) return false;
  latestKey_ = key;
  latest_ = Job{key, std::move(render), ++serial_};
  wake_.notify_all();
  return true;
}

void PreviewRenderer::enqueue(const QString& key, RenderFunction render) {
  std::lock_guard<std::mutex> lock(mutex_);
  background_.push_back(Job{key, std::move(render), 0});
  wake_.notify_all();
}

void PreviewRenderer::reset() {
  std::lock_guard<std::mutex> lock(mutex_);
  latest_.reset();
  background_.clear();
  latestKey_.clear();
  ++serial_;  // whatever is rendering now arrives stale
}

int PreviewRenderer::renderedCount() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return rendered_;
}

int PreviewRenderer::droppedCount() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return dropped_;
}

void PreviewRenderer::loop() {
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return quit_ || latest_ || !background_.empty(); });
      if (quit_) return;
      if (latest_) {
        job = std::move(*latest_);
        latest_.reset();
      } else {
        job = std::move(background_.front());
        background_.pop_front();
      }
    }
    RenderOutput output;
    QString error;
    try {
      atelier::adapt_threads();  // the engine's thread setting, following the machine's load
      output = job.render();
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    } catch (...) {
      error = tr("rendering failed");
    }
    deliver(job, output, error);
  }
}

void PreviewRenderer::deliver(const Job& job, const RenderOutput& output, const QString& error) {
  // Back on the GUI thread: a result overtaken by a newer request is dropped there.
  queueCall(this, [this, key = job.key, serial = job.serial, output, error] {
    const bool interactive = serial != 0;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (interactive && serial != serial_) {
        ++dropped_;
        return;
      }
      if (interactive) ++rendered_;
    }
    if (!error.isEmpty()) {
      Q_EMIT renderFailed(key, error);
    } else {
      Q_EMIT rendered(key, output, interactive);
    }
  });
}

}  // namespace atelier::ui
