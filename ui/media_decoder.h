// media_decoder.h — decoding pictures and videos into QImages, for worker threads.
//
// Plain functions with no GUI state: they run on worker threads (thumbnail loader, viewer). They
// never throw; a failure comes back as a message that names the file (the engine's own message).
#pragma once

#include <QImage>
#include <QSize>
#include <QString>
#include <QVector>

#include "media_item.h"

namespace atelier::ui {

struct Thumbnail {
  QImage image;      // fits in size x size; videos carry a small play mark
  QSize sourceSize;  // the picture's or the video's frame size
  QString error;     // non-empty on failure
};

Thumbnail makeThumbnail(const MediaItem& item, int size);

struct DecodeLimits {
  int maxSide = 1600;   // larger pictures and frames are scaled down to this longer side
  int maxFrames = 300;  // the viewer keeps at most this many frames of a video in memory
};

struct DecodedMedia {
  QVector<QImage> frames;  // one frame for a picture
  double fps = 0;          // videos only
  QSize sourceSize;
  bool truncated = false;  // the video has more frames than maxFrames
  QString error;
};

DecodedMedia decodeMedia(const MediaItem& item, const DecodeLimits& limits = {});

}  // namespace atelier::ui
