// image_canvas.h — paints one image, scaled to fit and centred, on a dark background.
#pragma once

#include <QImage>
#include <QString>
#include <QWidget>

namespace atelier::ui {

class ImageCanvas : public QWidget {
  Q_OBJECT

 public:
  explicit ImageCanvas(QWidget* parent = nullptr);

  void setImage(const QImage& image);
  const QImage& image() const { return image_; }
  // Shown, centred, when there is no image (hints, "Loading…", errors).
  void setMessage(const QString& message);
  QString message() const { return message_; }
  // How much a small picture may be enlarged to fill the canvas (4 unless set).
  void setMaxZoom(qreal zoom);

  QSize sizeHint() const override { return {640, 480}; }
  QSize minimumSizeHint() const override { return {160, 120}; }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  QImage image_;
  QString message_;
  qreal maxZoom_ = 4;
};

}  // namespace atelier::ui
