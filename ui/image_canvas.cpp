#include "image_canvas.h"

#include <QPainter>
#include <algorithm>

namespace atelier::ui {

ImageCanvas::ImageCanvas(QWidget* parent) : QWidget(parent) {
  setAttribute(Qt::WA_OpaquePaintEvent);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ImageCanvas::setImage(const QImage& image) {
  image_ = image;
  if (!image_.isNull()) message_.clear();
  update();
}

void ImageCanvas::setMessage(const QString& message) {
  message_ = message;
  if (!message_.isEmpty()) image_ = QImage();
  update();
}

void ImageCanvas::setMaxZoom(qreal zoom) {
  maxZoom_ = std::max(qreal(1), zoom);
  update();
}

void ImageCanvas::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), QColor(38, 38, 42));
  if (image_.isNull()) {
    painter.setPen(QColor(170, 170, 176));
    painter.drawText(rect().adjusted(24, 24, -24, -24), Qt::AlignCenter | Qt::TextWordWrap,
                     message_);
    return;
  }
  // Fit inside a small margin; enlarge small pictures at most maxZoom_ times.
  const QRectF area = QRectF(rect()).adjusted(12, 12, -12, -12);
  const QSizeF natural = QSizeF(image_.size()) / image_.devicePixelRatio();
  const qreal scale =
      std::min({area.width() / natural.width(), area.height() / natural.height(), maxZoom_});
  const QSizeF shown = natural * scale;
  const QRectF target(area.center() - QPointF(shown.width() / 2, shown.height() / 2), shown);
  painter.setRenderHint(QPainter::SmoothPixmapTransform, scale < 2);
  painter.drawImage(target, image_);
}

}  // namespace atelier::ui
