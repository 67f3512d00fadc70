// JobRunner runs one engine job at a time on its own thread: progress and previews come back to
// the GUI thread as queued signals, cancel() stops the job at its next step, a stopped job can be
// resumed, an engine error becomes failed(message), and shutDown() ends a running job and the
// thread. The jobs are real instant-mode (patchnn) samples of a demo picture.
//
// Built twice: as a studio test, and with ThreadSanitizer (job_runner_tsan_test), where the
// runner's own code is instrumented and any unsynchronised access between the two threads fails.
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QtTest>
#include <atomic>

#include "atelier/error.h"
#include "atelier/image.h"
#include "atelier/patchnn.h"
#include "atelier/preset.h"
#include "job_runner.h"

using namespace atelier::ui;

namespace {

// `samples` instant samples of the demo's chelsea.png at 64 px, on one CPU thread; `started`
// (when given) is set when the engine's first progress arrives.
EngineJob instantSamples(int samples, std::atomic<bool>* started = nullptr) {
  return [samples, started](const atelier::Callbacks& callbacks) {
    const atelier::Image picture =
        atelier::fit_within(atelier::load_image(ATELIER_DEMO_DIR "/media/chelsea.png"), 64);
    const auto params =
        atelier::PatchnnParams::from_preset(atelier::load_preset("patchnn", "tiny"));
    atelier::Callbacks forwarded = callbacks;
    forwarded.on_progress = [&](const atelier::Progress& p) {
      if (started) *started = true;
      callbacks.progress(p);
    };
    try {
      atelier::patchnn_samples(picture, samples, params, {}, {"cpu", 1}, forwarded);
    } catch (const atelier::Error& e) {
      if (e.kind() == atelier::ErrorKind::Cancelled) return false;
      throw;
    }
    return true;
  };
}

}  // namespace

class JobRunnerTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void aJobReportsProgressAndPreviewsThenFinishes() {
    JobRunner runner;
    QSignalSpy started(&runner, &JobRunner::started);
    QSignalSpy progressed(&runner, &JobRunner::progressed);
    QSignalSpy previewed(&runner, &JobRunner::previewed);
    QSignalSpy finished(&runner, &JobRunner::finished);
    QVERIFY(runner.start({QStringLiteral("Instant samples"), instantSamples(2), {}}));
    QCOMPARE(started.count(), 1);
    QVERIFY(runner.isRunning());
    QVERIFY(!runner.start({QStringLiteral("Another"), instantSamples(1), {}}));  // one at a time
    QVERIFY(runner.busyMessage().contains(QStringLiteral("Instant samples")));

    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QVERIFY(!runner.isRunning());
    QVERIFY(!runner.canResume());
    QVERIFY(progressed.count() >= 1);
    // The last progress is the job's final state.
    const auto last = progressed.last().at(0).value<atelier::Progress>();
    QCOMPARE(last.step, last.steps);
    QVERIFY(previewed.count() >= 2);  // a preview per pyramid level
    const QImage preview = previewed.last().at(0).value<QImage>();
    QCOMPARE(preview.width(), 64);
  }

  void aStoppedJobStopsAtItsNextStepAndResumes() {
    JobRunner runner;
    QSignalSpy finished(&runner, &JobRunner::finished);
    std::atomic<bool> started{false};
    std::atomic<int> resumed{0};
    JobSpec spec{QStringLiteral("Many samples"), instantSamples(200, &started), {}};
    spec.resume = [&resumed, job = instantSamples(1)](const atelier::Callbacks& callbacks) {
      ++resumed;
      return job(callbacks);
    };
    QVERIFY(runner.start(spec));
    QTRY_VERIFY_WITH_TIMEOUT(started.load(), 30000);
    runner.cancel();
    QVERIFY(runner.isCancelling());
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QVERIFY(runner.canResume());

    QVERIFY(runner.resume());
    QVERIFY(!runner.isCancelling());  // a new stop flag for the resumed run
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.at(1).at(0).toBool(), true);
    QCOMPARE(resumed.load(), 1);
    QVERIFY(!runner.canResume());
  }

  void anEngineErrorBecomesAMessage() {
    JobRunner runner;
    QSignalSpy failed(&runner, &JobRunner::failed);
    QSignalSpy finished(&runner, &JobRunner::finished);
    const EngineJob tooSmall = [](const atelier::Callbacks& callbacks) {
      const auto params =
          atelier::PatchnnParams::from_preset(atelier::load_preset("patchnn", "tiny"));
      atelier::PatchnnSampleOptions options;
      options.source_name = "dot.png";
      atelier::patchnn_sample(atelier::Image(3, 3, 3), params, options, {"cpu", 1}, callbacks);
      return true;
    };
    QVERIFY(runner.start({QStringLiteral("Too small"), tooSmall, {}}));
    QVERIFY(failed.wait(30000));
    QVERIFY2(failed.at(0).at(0).toString().contains(QStringLiteral("dot.png")),
             qPrintable(failed.at(0).at(0).toString()));
    QCOMPARE(finished.count(), 0);
    QVERIFY(!runner.isRunning());
    QVERIFY(!runner.canResume());  // a failure is not a stop
  }

  void shuttingDownEndsARunningJob() {
    std::atomic<bool> started{false};
    QElapsedTimer clock;
    {
      JobRunner runner;
      QVERIFY(runner.start({QStringLiteral("Many samples"), instantSamples(200, &started), {}}));
      QTRY_VERIFY_WITH_TIMEOUT(started.load(), 30000);
      clock.start();
      runner.shutDown();  // the window closes while the job runs
      QVERIFY(!runner.canResume());
    }
    // 200 samples take minutes; the stop comes at the next round.
    QVERIFY2(clock.elapsed() < 20000, qPrintable(QString::number(clock.elapsed())));
  }
};

QTEST_GUILESS_MAIN(JobRunnerTest)
#include "job_runner_test.moc"
