// media_item.h — one picture or video of a project, as the studio sees it.
#pragma once

#include <QString>
#include <QVector>

namespace atelier::ui {

enum class MediaKind { Image, Video };

struct MediaItem {
  QString path;  // absolute, with '/' separators (made relative only inside the project file)
  MediaKind kind = MediaKind::Image;

  bool operator==(const MediaItem& other) const { return path == other.path && kind == other.kind; }
};

using MediaList = QVector<MediaItem>;

// "image" / "video": the words the project file uses.
QString mediaKindName(MediaKind kind);
bool mediaKindFromName(const QString& name, MediaKind* kind);

// By file name extension (the engine's lists); false for anything the engine cannot read.
bool mediaKindForFile(const QString& path, MediaKind* kind);

// A file dialog filter naming every readable extension, e.g. "Pictures and videos (*.png ...)".
QString mediaFileDialogFilter();

}  // namespace atelier::ui
