// training_panel.h — follows a JobRunner: what it does (phase, scale k of n, step), a progress
// bar with the time left, live loss curves, the latest preview, and Cancel / Resume.
#pragma once

#include <QImage>
#include <QWidget>

#include "atelier/job.h"

class QLabel;
class QProgressBar;
class QPushButton;

namespace atelier::ui {

class ImageCanvas;
class JobRunner;
class LossChart;

class TrainingPanel : public QWidget {
  Q_OBJECT

 public:
  explicit TrainingPanel(QWidget* parent = nullptr);

  // Follows `runner` from now on (nullptr: none).
  void setRunner(JobRunner* runner);

  QString statusText() const;
  int progressPermille() const;
  const QImage& preview() const;
  LossChart* lossChart() const { return chart_; }
  QPushButton* cancelButton() const { return cancelButton_; }
  QPushButton* resumeButton() const { return resumeButton_; }

  // "1:05" / "2 h 03 min"
  static QString formatDuration(double seconds);
  // "Training — level 2 of 5 — step 120 of 300" from a Progress.
  static QString describe(const atelier::Progress& progress);

 private:
  void onStarted(const QString& title);
  void onProgress(const atelier::Progress& progress);
  void onPreview(const QImage& image);
  void onFinished(bool completed);
  void onFailed(const QString& message);
  void setIdle(const QString& status);

  JobRunner* runner_ = nullptr;
  QLabel* titleLabel_;
  QLabel* statusLabel_;
  QProgressBar* progressBar_;
  LossChart* chart_;
  ImageCanvas* previewCanvas_;
  QPushButton* cancelButton_;
  QPushButton* resumeButton_;
};

}  // namespace atelier::ui
