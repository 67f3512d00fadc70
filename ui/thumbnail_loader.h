// thumbnail_loader.h — thumbnails of media files, made on a worker thread and cached.
//
// The GUI asks with thumbnail(); a cache miss queues the file for the worker thread and returns
// nothing at once; thumbnailReady() follows when the worker is done (also after a failure, which
// is cached too, so a broken file is tried once).
#pragma once

#include <QHash>
#include <QImage>
#include <QObject>
#include <QSet>
#include <QSize>
#include <QThread>
#include <optional>

#include "media_item.h"

namespace atelier::ui {

class ThumbnailWorker;

class ThumbnailLoader : public QObject {
  Q_OBJECT

 public:
  explicit ThumbnailLoader(int size = 192, QObject* parent = nullptr);
  ~ThumbnailLoader() override;  // stops the thread after the thumbnail being made, if any

  struct Entry {
    QImage image;  // null while loading and after a failure
    QSize sourceSize;
    QString error;
  };

  int size() const { return size_; }
  // The cached entry, or nothing (then the file is queued, once).
  std::optional<Entry> thumbnail(const MediaItem& item);
  bool isPending(const QString& path) const { return pending_.contains(path); }
  int pendingCount() const { return pending_.size(); }
  void clear();  // forgets the cache (files changed on disk)

 Q_SIGNALS:
  void thumbnailReady(const QString& path);
  void requestLoad(const QString& path, int kind);  // to the worker thread

 private:
  void onLoaded(const QString& path, const QImage& image, const QSize& sourceSize,
                const QString& error);

  int size_;
  QThread thread_;
  ThumbnailWorker* worker_;  // lives on thread_, deleted when it finishes
  QHash<QString, Entry> cache_;
  QSet<QString> pending_;
};

}  // namespace atelier::ui
