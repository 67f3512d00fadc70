#include "thumbnail_loader.h"

#include "thumbnail_worker.h"

namespace atelier::ui {

ThumbnailLoader::ThumbnailLoader(int size, QObject* parent)
    : QObject(parent), size_(size), worker_(new ThumbnailWorker(size)) {
  thread_.setObjectName(QStringLiteral("thumbnails"));
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
  connect(this, &ThumbnailLoader::requestLoad, worker_, &ThumbnailWorker::load);
  connect(worker_, &ThumbnailWorker::loaded, this, &ThumbnailLoader::onLoaded);
  thread_.start(QThread::LowPriority);
}

ThumbnailLoader::~ThumbnailLoader() {
  // Queued requests are dropped: the thread's event loop quits after the current one.
  thread_.quit();
  thread_.wait();
}

std::optional<ThumbnailLoader::Entry> ThumbnailLoader::thumbnail(const MediaItem& item) {
  const auto found = cache_.constFind(item.path);
  if (found != cache_.constEnd()) return found.value();
  if (!pending_.contains(item.path)) {
    pending_.insert(item.path);
    Q_EMIT requestLoad(item.path, static_cast<int>(item.kind));
  }
  return std::nullopt;
}

void ThumbnailLoader::clear() {
  cache_.clear();
}

void ThumbnailLoader::onLoaded(const QString& path, const QImage& image, const QSize& sourceSize,
                               const QString& error) {
  pending_.remove(path);
  cache_.insert(path, Entry{image, sourceSize, error});
  Q_EMIT thumbnailReady(path);
}

}  // namespace atelier::ui
