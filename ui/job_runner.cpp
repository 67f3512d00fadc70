#include "job_runner.h"

#include <QElapsedTimer>
#include <exception>
#include <new>

#include "atelier/error.h"
#include "image_convert.h"
#include "queued_call.h"

namespace atelier::ui {

JobRunner::JobRunner(QObject* parent)
    : QObject(parent), context_(new QObject), stop_(std::make_shared<std::atomic<bool>>(false)) {
  qRegisterMetaType<atelier::Progress>();
  thread_.setObjectName(QStringLiteral("atelier-job"));
  context_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, context_, &QObject::deleteLater);
  thread_.start();
}

JobRunner::~JobRunner() {
  shutDown();
}

void JobRunner::shutDown() {
  cancel();
  thread_.quit();
  thread_.wait();
}

bool JobRunner::start(JobSpec spec) {
  if (running_ || !spec.run) return false;
  spec_ = std::move(spec);
  launch(spec_.run);
  return true;
}

bool JobRunner::resume() {
  if (!canResume()) return false;
  launch(spec_.resume);
  return true;
}

void JobRunner::launch(EngineJob job) {
  running_ = true;
  stopped_ = false;
  stop_ = std::make_shared<std::atomic<bool>>(false);
  Q_EMIT started(spec_.title);

  auto stop = stop_;
  queueCall(context_, [this, job = std::move(job), stop] {
    // On the job's thread. Signals emitted here are queued to the runner's (GUI) thread.
    QElapsedTimer sinceProgress;
    atelier::Progress last;
    atelier::Callbacks callbacks;
    callbacks.should_stop = [stop] { return stop->load(); };
    callbacks.on_progress = [&](const atelier::Progress& p) {
      const bool turn = p.phase != last.phase || p.scale != last.scale;
      if (turn || !sinceProgress.isValid() || sinceProgress.elapsed() >= kProgressIntervalMs) {
        sinceProgress.start();
        Q_EMIT progressed(p);
      }
      last = p;
    };
    callbacks.on_preview = [this](const atelier::Image& image) {
      Q_EMIT previewed(toQImage(image));
    };
    bool completed = false;
    QString error;
    try {
      completed = job(callbacks);
      if (sinceProgress.isValid()) Q_EMIT progressed(last);  // the final state, not a stale one
    } catch (const std::bad_alloc&) {
      error = tr("Out of memory. Try a smaller preset, fewer frames or a smaller image.");
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    } catch (...) {
      error = tr("An unknown error stopped the job.");
    }
    queueCall(this, [this, completed, error] { onDone(completed, error); });
  });
}

QString JobRunner::busyMessage() const {
  return tr("Another job is running (%1). Wait for it or cancel it first.").arg(spec_.title);
}

void JobRunner::cancel() {
  if (running_) stop_->store(true);
}

void JobRunner::onDone(bool completed, const QString& error) {
  running_ = false;
  stopped_ = error.isEmpty() && !completed;
  if (!error.isEmpty()) {
    Q_EMIT failed(error);
  } else {
    Q_EMIT finished(completed);
  }
}

}  // namespace atelier::ui
