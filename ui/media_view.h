// media_view.h — the viewer: a picture, or a video played at its frame rate.
//
// Decoding runs on Qt's thread pool; the newest request wins (a result for a file that is no
// longer asked for is dropped). Videos play in a loop, driven by a QTimer on the GUI thread.
#pragma once

#include <QFutureWatcher>
#include <QTimer>
#include <QVector>
#include <QWidget>

#include "media_decoder.h"
#include "media_item.h"

class QLabel;
class QSlider;
class QToolButton;

namespace atelier::ui {

class ImageCanvas;

class MediaView : public QWidget {
  Q_OBJECT

 public:
  explicit MediaView(QWidget* parent = nullptr);
  ~MediaView() override;

  void showMedia(const MediaItem& item);
  void clear(const QString& message = {});

  QString currentPath() const { return item_.path; }
  bool isLoading() const { return watcher_.isRunning(); }
  bool hasMedia() const { return !frames_.isEmpty(); }
  int frameCount() const { return frames_.size(); }
  int currentFrame() const { return frame_; }
  double fps() const { return fps_; }
  bool isPlaying() const { return timer_.isActive(); }
  QSize sourceSize() const { return sourceSize_; }
  ImageCanvas* canvas() const { return canvas_; }

 public Q_SLOTS:
  void play();
  void pause();
  void togglePlay();
  void showFrame(int frame);

 Q_SIGNALS:
  void loaded(const QString& path);
  void loadFailed(const QString& path, const QString& error);
  void frameChanged(int frame);

 protected:
  void keyPressEvent(QKeyEvent* event) override;

 private:
  void onDecoded();
  void updateControls();

  ImageCanvas* canvas_;
  QWidget* controls_;
  QToolButton* playButton_;
  QSlider* slider_;
  QLabel* frameLabel_;

  MediaItem item_;
  QFutureWatcher<DecodedMedia> watcher_;
  QVector<QImage> frames_;
  QSize sourceSize_;
  double fps_ = 0;
  int frame_ = 0;
  bool truncated_ = false;
  QTimer timer_;
};

}  // namespace atelier::ui
