// thumbnail_worker.h — makes thumbnails on the thumbnail loader's thread.
#pragma once

#include <QImage>
#include <QObject>
#include <QSize>
#include <QString>

namespace atelier::ui {

class ThumbnailWorker : public QObject {
  Q_OBJECT

 public:
  explicit ThumbnailWorker(int size) : size_(size) {}

 public Q_SLOTS:
  // kind: a MediaKind as int (plain types cross threads without registration).
  void load(const QString& path, int kind);

 Q_SIGNALS:
  void loaded(const QString& path, const QImage& image, const QSize& sourceSize,
              const QString& error);

 private:
  int size_;
};

}  // namespace atelier::ui
