#include "transfer_canvas.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QPainter>
#include <QUrl>

#include "gallery_view.h"
#include "media_item.h"

namespace atelier::ui {
namespace {

bool droppedImage(const QMimeData* mime, QString* path) {
  if (!mime->hasUrls() || mime->urls().size() != 1 || !mime->urls().front().isLocalFile()) {
    return false;
  }
  MediaKind kind;
  *path = mime->urls().front().toLocalFile();
  return mediaKindForFile(*path, &kind) && kind == MediaKind::Image;
}

}  // namespace

TransferCanvas::TransferCanvas(QWidget* parent) : ImageCanvas(parent) {
  setAcceptDrops(true);
}

void TransferCanvas::setResult(const QImage& image, const QImage& mask) {
  result_ = image;
  mask_ = mask;
  compose();
}

void TransferCanvas::setShowMask(bool show) {
  showMask_ = show;
  compose();
}

void TransferCanvas::compose() {
  if (result_.isNull()) return;
  if (!showMask_ || mask_.isNull()) {
    setImage(result_);
    return;
  }
  // The changed area tinted red in proportion to the mask.
  QImage shown = result_.convertToFormat(QImage::Format_RGB32);
  const QImage mask = mask_.scaled(shown.size()).convertToFormat(QImage::Format_Grayscale8);
  for (int y = 0; y < shown.height(); ++y) {
    auto* row = reinterpret_cast<QRgb*>(shown.scanLine(y));
    const uchar* m = mask.constScanLine(y);
    for (int x = 0; x < shown.width(); ++x) {
      const double a = 0.55 * m[x] / 255.0;
      const QRgb c = row[x];
      row[x] =
          qRgb(int(qRed(c) * (1 - a) + 255 * a), int(qGreen(c) * (1 - a)), int(qBlue(c) * (1 - a)));
    }
  }
  setImage(shown);
}

void TransferCanvas::dragEnterEvent(QDragEnterEvent* event) {
  QString path;
  Domain domain;
  if (GalleryView::readSource(event->mimeData(), &path, &domain) ||
      droppedImage(event->mimeData(), &path)) {
    event->acceptProposedAction();
  }
}

void TransferCanvas::dropEvent(QDropEvent* event) {
  QString path;
  Domain domain;
  if (GalleryView::readSource(event->mimeData(), &path, &domain)) {
    event->acceptProposedAction();
    Q_EMIT sourceDropped(path, domain);
  } else if (droppedImage(event->mimeData(), &path)) {
    event->acceptProposedAction();
    Q_EMIT targetDropped(path);
  }
}

}  // namespace atelier::ui
