// drop_canvas.h — an ImageCanvas that takes one dropped file (from the file manager or the media
// list) and says which; whether it is a picture is the page's to judge, so a wrong file gets a
// message rather than a silent refusal.
#pragma once

#include "image_canvas.h"

namespace atelier::ui {

class DropCanvas : public ImageCanvas {
  Q_OBJECT

 public:
  explicit DropCanvas(QWidget* parent = nullptr);

 Q_SIGNALS:
  void fileDropped(const QString& path);

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dragMoveEvent(QDragMoveEvent* event) override;
  void dropEvent(QDropEvent* event) override;
};

}  // namespace atelier::ui
