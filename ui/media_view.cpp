#include "media_view.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QSlider>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <cmath>

#include "image_canvas.h"

namespace atelier::ui {

MediaView::MediaView(QWidget* parent)
    : QWidget(parent),
      canvas_(new ImageCanvas(this)),
      controls_(new QWidget(this)),
      playButton_(new QToolButton(controls_)),
      slider_(new QSlider(Qt::Horizontal, controls_)),
      frameLabel_(new QLabel(controls_)) {
  setFocusPolicy(Qt::StrongFocus);
  playButton_->setAutoRaise(true);
  playButton_->setToolTip(tr("Play / pause (Space)"));
  slider_->setMinimum(0);
  frameLabel_->setMinimumWidth(frameLabel_->fontMetrics().horizontalAdvance("000 / 000 · 00 fps"));

  auto* controlsLayout = new QHBoxLayout(controls_);
  controlsLayout->setContentsMargins(6, 2, 6, 2);
  controlsLayout->addWidget(playButton_);
  controlsLayout->addWidget(slider_, 1);
  controlsLayout->addWidget(frameLabel_);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(canvas_, 1);
  layout->addWidget(controls_);

  timer_.setTimerType(Qt::PreciseTimer);
  connect(&timer_, &QTimer::timeout, this, [this] {
    if (!frames_.isEmpty()) showFrame((frame_ + 1) % frames_.size());
  });
  connect(playButton_, &QToolButton::clicked, this, &MediaView::togglePlay);
  connect(slider_, &QSlider::sliderPressed, this, &MediaView::pause);
  connect(slider_, &QSlider::valueChanged, this, &MediaView::showFrame);
  connect(&watcher_, &QFutureWatcher<DecodedMedia>::finished, this, &MediaView::onDecoded);

  clear();
}

MediaView::~MediaView() {
  // The decode task owns its inputs and result; it finishes harmlessly without us.
  watcher_.disconnect(this);
}

void MediaView::showMedia(const MediaItem& item) {
  if (item == item_ && (hasMedia() || isLoading())) return;
  pause();
  item_ = item;
  frames_.clear();
  frame_ = 0;
  fps_ = 0;
  canvas_->setMessage(tr("Loading %1…").arg(QFileInfo(item.path).fileName()));
  updateControls();
  // Replacing the watched future drops the previous request's result, whenever it arrives.
  watcher_.setFuture(QtConcurrent::run([item] { return decodeMedia(item); }));
}

void MediaView::clear(const QString& message) {
  pause();
  watcher_.setFuture(QFuture<DecodedMedia>());
  item_ = MediaItem();
  frames_.clear();
  frame_ = 0;
  fps_ = 0;
  sourceSize_ = QSize();
  canvas_->setMessage(message.isEmpty() ? tr("Select a picture or a video in the media list")
                                        : message);
  updateControls();
}

void MediaView::onDecoded() {
  const QFuture<DecodedMedia> future = watcher_.future();
  if (future.isCanceled() || future.resultCount() == 0) return;
  const DecodedMedia media = future.result();
  if (!media.error.isEmpty()) {
    canvas_->setMessage(media.error);
    updateControls();
    Q_EMIT loadFailed(item_.path, media.error);
    return;
  }
  frames_ = media.frames;
  fps_ = media.fps;
  sourceSize_ = media.sourceSize;
  truncated_ = media.truncated;
  frame_ = 0;
  canvas_->setImage(frames_.front());
  updateControls();
  Q_EMIT loaded(item_.path);
  if (frames_.size() > 1) play();
}

void MediaView::play() {
  if (frames_.size() < 2) return;
  timer_.start(std::max(1, static_cast<int>(std::lround(1000.0 / (fps_ > 0 ? fps_ : 25.0)))));
  updateControls();
}

void MediaView::pause() {
  timer_.stop();
  updateControls();
}

void MediaView::togglePlay() {
  isPlaying() ? pause() : play();
}

void MediaView::showFrame(int frame) {
  if (frame < 0 || frame >= frames_.size() || frame == frame_) return;
  frame_ = frame;
  canvas_->setImage(frames_[frame_]);
  updateControls();
  Q_EMIT frameChanged(frame_);
}

void MediaView::keyPressEvent(QKeyEvent* event) {
  if (event->key() == Qt::Key_Space && frames_.size() > 1) {
    togglePlay();
    return;
  }
  QWidget::keyPressEvent(event);
}

void MediaView::updateControls() {
  const bool video = frames_.size() > 1;
  controls_->setVisible(video);
  if (!video) return;
  playButton_->setIcon(
      style()->standardIcon(isPlaying() ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
  const QSignalBlocker blocker(slider_);
  slider_->setMaximum(frames_.size() - 1);
  slider_->setValue(frame_);
  frameLabel_->setText(QStringLiteral("%1 / %2%3 · %4 fps")
                           .arg(frame_ + 1)
                           .arg(frames_.size())
                           .arg(truncated_ ? QStringLiteral("+") : QString())
                           .arg(fps_, 0, 'g', 3));
}

}  // namespace atelier::ui
