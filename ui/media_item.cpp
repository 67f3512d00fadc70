#include "media_item.h"

#include <QCoreApplication>
#include <QStringList>

#include "atelier/image.h"
#include "atelier/video.h"

namespace atelier::ui {

QString mediaKindName(MediaKind kind) {
  return kind == MediaKind::Video ? QStringLiteral("video") : QStringLiteral("image");
}

bool mediaKindFromName(const QString& name, MediaKind* kind) {
  if (name == QLatin1String("image")) {
    *kind = MediaKind::Image;
  } else if (name == QLatin1String("video")) {
    *kind = MediaKind::Video;
  } else {
    return false;
  }
  return true;
}

bool mediaKindForFile(const QString& path, MediaKind* kind) {
  const std::string name = path.toStdString();
  // GIF counts as video for the engine (animated); check video first so the engine decides.
  if (atelier::is_video_file_name(name)) {
    *kind = MediaKind::Video;
    return true;
  }
  if (atelier::is_image_file_name(name)) {
    *kind = MediaKind::Image;
    return true;
  }
  return false;
}

QString mediaFileDialogFilter() {
  // The same extensions the engine's is_image_file_name / is_video_file_name accept.
  const QStringList images = {"png", "jpg", "jpeg", "bmp", "webp"};
  const QStringList videos = {"mp4", "avi", "mov", "mkv", "mpg", "mpeg", "webm", "gif"};
  auto patterns = [](const QStringList& extensions) {
    QStringList out;
    for (const QString& e : extensions) out << QStringLiteral("*.") + e;
    return out.join(QLatin1Char(' '));
  };
  return QCoreApplication::translate(
             "MediaItem", "Pictures and videos (%1 %2);;Pictures (%1);;Videos (%2);;All files (*)")
      .arg(patterns(images), patterns(videos));
}

}  // namespace atelier::ui
