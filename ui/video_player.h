// video_player.h — a small looping player for frames already in memory, with a caption. Click
// to select it (the page exports the selected one).
#pragma once

#include <QImage>
#include <QTimer>
#include <QVector>
#include <QWidget>

class QLabel;

namespace atelier::ui {

class ImageCanvas;

class VideoPlayer : public QWidget {
  Q_OBJECT

 public:
  explicit VideoPlayer(const QString& caption, QWidget* parent = nullptr);

  void setFrames(const QVector<QImage>& frames, double fps);
  int frameCount() const { return frames_.size(); }
  bool isPlaying() const { return timer_.isActive(); }
  void setSelected(bool selected);
  ImageCanvas* canvas() const { return canvas_; }

 Q_SIGNALS:
  void clicked();

 protected:
  void mousePressEvent(QMouseEvent* event) override;
  void paintEvent(QPaintEvent* event) override;

 private:
  void advance();

  ImageCanvas* canvas_;
  QLabel* caption_;
  QVector<QImage> frames_;
  int frame_ = 0;
  bool selected_ = false;
  QTimer timer_;
};

}  // namespace atelier::ui
