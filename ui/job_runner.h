// job_runner.h — runs one long engine job (training, sampling) on its own thread.
//
// A job is a function of the engine's Callbacks (atelier/job.h). It runs on the runner's thread;
// its progress and previews come back to the GUI thread as queued signals (previews are turned
// into QImages on the job's thread, so the GUI thread only paints). cancel() asks the job to stop
// at its next step: the engine then saves a resumable file and returns. One job at a time.
#pragma once

#include <QImage>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QThread>
#include <atomic>
#include <functional>
#include <memory>

#include "atelier/job.h"

Q_DECLARE_METATYPE(atelier::Progress)

namespace atelier::ui {

// Returns true when the job completed, false when it stopped because it was asked to. Errors are
// thrown (atelier::Error, std::bad_alloc, ...) and become failed(message).
using EngineJob = std::function<bool(const atelier::Callbacks& callbacks)>;

struct JobSpec {
  QString title;  // "Video variations of tree.avi"
  EngineJob run;
  EngineJob resume;          // continues a stopped run from what it saved; empty: cannot resume
  QObject* owner = nullptr;  // who started it: pages follow only their own jobs
  // Progress phases whose losses are training losses (the training panel charts them).
  QStringList lossPhases{QStringLiteral("train")};
};

class JobRunner : public QObject {
  Q_OBJECT

 public:
  explicit JobRunner(QObject* parent = nullptr);
  ~JobRunner() override;  // shutDown()
  // Asks a running job to stop, waits for it and ends the runner's thread (before the window
  // closes); the runner still answers isRunning() and the like afterwards.
  void shutDown();

  // Starts spec.run; false (and nothing starts) while another job runs.
  bool start(JobSpec spec);
  // After a job stopped on request: starts its resume function (same title and owner).
  bool resume();
  bool canResume() const { return !running_ && stopped_ && bool(spec_.resume); }
  void cancel();
  bool isRunning() const { return running_; }
  bool isCancelling() const { return running_ && stop_->load(); }
  QString title() const { return spec_.title; }
  // What a page says when asked to start while a job runs.
  QString busyMessage() const;
  QObject* owner() const { return spec_.owner; }
  // Whether the losses of progress in `phase` are the running job's training losses.
  bool chartsLossesOf(const std::string& phase) const {
    return spec_.lossPhases.contains(QString::fromStdString(phase));
  }

  // The least time between two progressed() signals; the latest progress within it is delivered
  // when the next one is due, and a change of phase or scale is delivered at once.
  static constexpr int kProgressIntervalMs = 50;

 Q_SIGNALS:
  void started(const QString& title);
  void progressed(const atelier::Progress& progress);
  void previewed(const QImage& image);
  void finished(bool completed);  // completed = false: stopped by cancel()
  void failed(const QString& message);

 private:
  void launch(EngineJob job);
  void onDone(bool completed, const QString& error);

  QThread thread_;
  QObject* context_;  // lives on thread_: jobs are queued to it
  std::shared_ptr<std::atomic<bool>> stop_;
  bool running_ = false;
  bool stopped_ = false;  // the last job stopped on request
  JobSpec spec_;
};

}  // namespace atelier::ui
