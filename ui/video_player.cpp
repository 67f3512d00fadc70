#include "video_player.h"

#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "image_canvas.h"

namespace atelier::ui {

VideoPlayer::VideoPlayer(const QString& caption, QWidget* parent)
    : QWidget(parent), canvas_(new ImageCanvas), caption_(new QLabel(caption)) {
  canvas_->setMinimumSize(160, 120);
  canvas_->setAttribute(Qt::WA_TransparentForMouseEvents);
  caption_->setAlignment(Qt::AlignCenter);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(canvas_, 1);
  layout->addWidget(caption_);
  connect(&timer_, &QTimer::timeout, this, &VideoPlayer::advance);
}

void VideoPlayer::setFrames(const QVector<QImage>& frames, double fps) {
  frames_ = frames;
  frame_ = 0;
  canvas_->setImage(frames_.isEmpty() ? QImage() : frames_.front());
  timer_.stop();
  if (frames_.size() > 1) timer_.start(static_cast<int>(std::lround(1000.0 / std::max(1.0, fps))));
}

void VideoPlayer::setSelected(bool selected) {
  selected_ = selected;
  update();
}

void VideoPlayer::mousePressEvent(QMouseEvent* event) {
  if (event->button() == Qt::LeftButton) Q_EMIT clicked();
  QWidget::mousePressEvent(event);
}

void VideoPlayer::paintEvent(QPaintEvent*) {
  if (!selected_) return;
  QPainter painter(this);
  painter.setPen(QPen(palette().highlight().color(), 3));
  painter.drawRect(rect().adjusted(1, 1, -2, -2));
}

void VideoPlayer::advance() {
  if (frames_.isEmpty()) return;
  frame_ = (frame_ + 1) % frames_.size();
  canvas_->setImage(frames_[frame_]);
}

}  // namespace atelier::ui
