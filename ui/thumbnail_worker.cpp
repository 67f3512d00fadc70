#include "thumbnail_worker.h"

#include "media_decoder.h"

namespace atelier::ui {

void ThumbnailWorker::load(const QString& path, int kind) {
  const Thumbnail thumbnail = makeThumbnail({path, static_cast<MediaKind>(kind)}, size_);
  Q_EMIT loaded(path, thumbnail.image, thumbnail.sourceSize, thumbnail.error);
}

}  // namespace atelier::ui
