#include "media_decoder.h"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <exception>

#include "atelier/image.h"
#include "atelier/video.h"
#include "image_convert.h"

namespace atelier::ui {

namespace {

// A round "play" badge in the bottom-left corner, so videos read as videos in the media list.
void paintPlayBadge(QImage* image) {
  QPainter painter(image);
  painter.setRenderHint(QPainter::Antialiasing);
  const qreal d = std::max<qreal>(14, std::min(image->width(), image->height()) * 0.3);
  const QRectF circle(4, image->height() - d - 4, d, d);
  painter.setPen(Qt::NoPen);
  painter.setBrush(QColor(0, 0, 0, 150));
  painter.drawEllipse(circle);
  QPainterPath triangle;
  const QPointF c = circle.center();
  const qreal r = d * 0.22;
  triangle.moveTo(c + QPointF(-r * 0.7, -r));
  triangle.lineTo(c + QPointF(r * 1.1, 0));
  triangle.lineTo(c + QPointF(-r * 0.7, r));
  triangle.closeSubpath();
  painter.setBrush(Qt::white);
  painter.drawPath(triangle);
}

QString messageOf(const std::exception& e) {
  return QString::fromStdString(e.what());
}

// The first frame only (the engine stops decoding after max_frames).
atelier::Image firstFrame(const std::string& path, double* fps) {
  atelier::VideoReadOptions options;
  options.max_frames = 1;
  atelier::Video video = atelier::read_video(path, options);
  if (fps) *fps = video.fps;
  return std::move(video.frames.front());
}

}  // namespace

Thumbnail makeThumbnail(const MediaItem& item, int size) {
  Thumbnail thumbnail;
  try {
    const std::string path = item.path.toStdString();
    atelier::Image image =
        item.kind == MediaKind::Video ? firstFrame(path, nullptr) : atelier::load_image(path);
    thumbnail.sourceSize = QSize(image.width, image.height);
    thumbnail.image = toQImage(atelier::fit_within(image, size))
                          .convertToFormat(QImage::Format_ARGB32_Premultiplied);
    if (item.kind == MediaKind::Video) paintPlayBadge(&thumbnail.image);
  } catch (const std::exception& e) {
    thumbnail.error = messageOf(e);
  }
  return thumbnail;
}

DecodedMedia decodeMedia(const MediaItem& item, const DecodeLimits& limits) {
  DecodedMedia media;
  try {
    const std::string path = item.path.toStdString();
    if (item.kind == MediaKind::Image) {
      const atelier::Image image = atelier::load_image(path);
      media.sourceSize = QSize(image.width, image.height);
      media.frames.append(toQImage(atelier::fit_within(image, limits.maxSide)));
      return media;
    }
    // Learn the frame size from the first frame, then decode the rest already scaled down, so a
    // long HD video does not pass through memory at full size.
    const atelier::Image first = firstFrame(path, nullptr);
    media.sourceSize = QSize(first.width, first.height);
    atelier::VideoReadOptions options;
    options.max_frames = limits.maxFrames + 1;  // one more tells that the video was cut
    if (std::max(first.width, first.height) > limits.maxSide) {
      options.width = first.width >= first.height ? limits.maxSide
                                                  : first.width * limits.maxSide / first.height;
    }
    atelier::Video video = atelier::read_video(path, options);
    media.fps = video.fps > 0 ? video.fps : 25.0;
    media.truncated = static_cast<int>(video.frames.size()) > limits.maxFrames;
    const int kept = std::min<int>(video.frames.size(), limits.maxFrames);
    media.frames.reserve(kept);
    for (int i = 0; i < kept; ++i) {
      media.frames.append(toQImage(video.frames[i]));
      video.frames[i] = atelier::Image();  // release each engine frame once copied
    }
  } catch (const std::exception& e) {
    media.frames.clear();
    media.error = messageOf(e);
  }
  return media;
}

}  // namespace atelier::ui
