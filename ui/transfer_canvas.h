// transfer_canvas.h — the Attribute transfer workspace's canvas: the chosen image or a result,
// with the changed area tinted when the mask is shown. A gallery thumbnail dropped here asks
// for a transfer of its attribute; a picture file dropped here becomes the image to change.
#pragma once

#include "image_canvas.h"
#include "transfer_state.h"

namespace atelier::ui {

class TransferCanvas : public ImageCanvas {
  Q_OBJECT

 public:
  explicit TransferCanvas(QWidget* parent = nullptr);

  // A result and its mask (null: none); the mask is drawn over it while showMask is on.
  void setResult(const QImage& image, const QImage& mask);
  void setShowMask(bool show);
  bool showsMask() const { return showMask_; }
  const QImage& mask() const { return mask_; }

 Q_SIGNALS:
  void sourceDropped(const QString& path, atelier::ui::Domain domain);
  void targetDropped(const QString& path);

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void compose();

  QImage result_;
  QImage mask_;
  bool showMask_ = false;
};

}  // namespace atelier::ui
