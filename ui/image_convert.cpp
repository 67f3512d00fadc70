#include "image_convert.h"

#include <QPainter>
#include <cstring>

namespace atelier::ui {

QImage toQImage(const atelier::Image& image) {
  if (image.empty()) return {};
  QImage::Format format;
  switch (image.channels) {
    case 1:
      format = QImage::Format_Grayscale8;
      break;
    case 3:
      format = QImage::Format_RGB888;
      break;
    case 4:
      format = QImage::Format_RGBA8888;
      break;
    default:
      return {};
  }
  QImage out(image.width, image.height, format);
  if (out.isNull()) return {};  // allocation failed
  const std::size_t rowBytes = image.stride();
  for (int y = 0; y < image.height; ++y) std::memcpy(out.scanLine(y), image.row(y), rowBytes);
  return out;
}

atelier::Image toAtelierImage(const QImage& image, bool keepAlpha) {
  if (image.isNull()) return {};
  QImage source;
  int channels;
  if (image.format() == QImage::Format_Grayscale8) {
    source = image;
    channels = 1;
  } else if (keepAlpha && image.hasAlphaChannel()) {
    // Non-premultiplied, so the bytes are the colours themselves.
    source = image.convertToFormat(QImage::Format_RGBA8888);
    channels = 4;
  } else if (image.hasAlphaChannel()) {
    // Composited over white, as the engine's load_image does with transparent files.
    source = QImage(image.size(), QImage::Format_RGB888);
    source.setDevicePixelRatio(image.devicePixelRatio());
    source.fill(Qt::white);
    QPainter painter(&source);
    painter.drawImage(0, 0, image);
    channels = 3;
  } else {
    source = image.convertToFormat(QImage::Format_RGB888);
    channels = 3;
  }
  atelier::Image out(source.width(), source.height(), channels);
  const std::size_t rowBytes = out.stride();
  for (int y = 0; y < out.height; ++y) std::memcpy(out.row(y), source.constScanLine(y), rowBytes);
  return out;
}

QVector<QImage> toQImages(const atelier::Video& video) {
  QVector<QImage> frames;
  frames.reserve(static_cast<int>(video.frames.size()));
  for (const atelier::Image& frame : video.frames) frames.append(toQImage(frame));
  return frames;
}

}  // namespace atelier::ui
