#include "training_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "image_canvas.h"
#include "job_runner.h"
#include "loss_chart.h"

namespace atelier::ui {

TrainingPanel::TrainingPanel(QWidget* parent)
    : QWidget(parent),
      titleLabel_(new QLabel),
      statusLabel_(new QLabel),
      progressBar_(new QProgressBar),
      chart_(new LossChart),
      previewCanvas_(new ImageCanvas),
      cancelButton_(new QPushButton(tr("Cancel"))),
      resumeButton_(new QPushButton(tr("Resume"))) {
  QFont bold = titleLabel_->font();
  bold.setBold(true);
  titleLabel_->setFont(bold);
  statusLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  statusLabel_->setWordWrap(true);
  progressBar_->setRange(0, 1000);
  progressBar_->setTextVisible(true);
  cancelButton_->setToolTip(tr("Stop at the next step; the model is kept and can be resumed"));
  resumeButton_->setToolTip(tr("Continue the stopped training from its saved model"));
  previewCanvas_->setMinimumSize(160, 120);
  previewCanvas_->setMessage(tr("The latest preview appears here"));

  auto* buttons = new QHBoxLayout;
  buttons->addWidget(progressBar_, 1);
  buttons->addWidget(cancelButton_);
  buttons->addWidget(resumeButton_);
  auto* body = new QHBoxLayout;
  body->addWidget(chart_, 3);
  body->addWidget(previewCanvas_, 2);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(titleLabel_);
  layout->addWidget(statusLabel_);
  layout->addLayout(buttons);
  layout->addLayout(body, 1);

  connect(cancelButton_, &QPushButton::clicked, this, [this] {
    if (runner_) runner_->cancel();
    cancelButton_->setEnabled(false);
    statusLabel_->setText(tr("Stopping at the next step and saving a resumable model…"));
  });
  connect(resumeButton_, &QPushButton::clicked, this, [this] {
    if (runner_) runner_->resume();
  });
  setIdle(tr("Nothing is training."));
}

void TrainingPanel::setRunner(JobRunner* runner) {
  if (runner_) disconnect(runner_, nullptr, this, nullptr);
  runner_ = runner;
  if (!runner_) return;
  connect(runner_, &JobRunner::started, this, &TrainingPanel::onStarted);
  connect(runner_, &JobRunner::progressed, this, &TrainingPanel::onProgress);
  connect(runner_, &JobRunner::previewed, this, &TrainingPanel::onPreview);
  connect(runner_, &JobRunner::finished, this, &TrainingPanel::onFinished);
  connect(runner_, &JobRunner::failed, this, &TrainingPanel::onFailed);
}

QString TrainingPanel::statusText() const {
  return statusLabel_->text();
}
int TrainingPanel::progressPermille() const {
  return progressBar_->value();
}
const QImage& TrainingPanel::preview() const {
  return previewCanvas_->image();
}

QString TrainingPanel::formatDuration(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  if (s >= 3600) {
    return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
  }
  return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString TrainingPanel::describe(const atelier::Progress& p) {
  QString phase = QString::fromStdString(p.phase);
  if (!phase.isEmpty()) phase[0] = phase[0].toUpper();
  QStringList parts{phase};
  if (p.scales > 0) parts << tr("level %1 of %2").arg(p.scale).arg(p.scales);
  if (p.steps > 0) parts << tr("step %1 of %2").arg(p.step).arg(p.steps);
  return parts.join(QStringLiteral(" — "));
}

void TrainingPanel::onStarted(const QString& title) {
  titleLabel_->setText(title);
  statusLabel_->setText(tr("Starting…"));
  progressBar_->setValue(0);
  progressBar_->setFormat(QStringLiteral("%p%"));
  chart_->clear();
  previewCanvas_->setImage({});
  previewCanvas_->setMessage(tr("The latest preview appears here"));
  cancelButton_->setEnabled(true);
  cancelButton_->setVisible(true);
  resumeButton_->setVisible(false);
}

void TrainingPanel::onProgress(const atelier::Progress& p) {
  statusLabel_->setText(describe(p));
  double fraction = -1;
  if (p.eta_s >= 0 && p.elapsed_s + p.eta_s > 0) {
    fraction = p.elapsed_s / (p.elapsed_s + p.eta_s);
  } else if (p.steps > 0) {
    const double within = double(p.step) / double(p.steps);
    fraction = p.scales > 0 ? (p.scale - 1 + within) / p.scales : within;
  }
  if (fraction >= 0) progressBar_->setValue(static_cast<int>(std::lround(1000 * fraction)));
  progressBar_->setFormat(p.eta_s >= 0 ? tr("%p% — %1 left").arg(formatDuration(p.eta_s))
                                       : QStringLiteral("%p%"));
  if (!p.losses.empty() && runner_ && runner_->chartsLossesOf(p.phase))
    chart_->addPoint(p.elapsed_s, p.losses);
}

void TrainingPanel::onPreview(const QImage& image) {
  previewCanvas_->setImage(image);
}

void TrainingPanel::onFinished(bool completed) {
  if (completed) {
    progressBar_->setValue(1000);
    progressBar_->setFormat(tr("Done"));
    setIdle(tr("Finished."));
  } else {
    setIdle(runner_->canResume() ? tr("Stopped. The model so far is saved; Resume continues it.")
                                 : tr("Stopped."));
  }
}

void TrainingPanel::onFailed(const QString& message) {
  setIdle(tr("Failed: %1").arg(message));
}

void TrainingPanel::setIdle(const QString& status) {
  statusLabel_->setText(status);
  cancelButton_->setVisible(false);
  resumeButton_->setVisible(runner_ && runner_->canResume());
}

}  // namespace atelier::ui
