// The "Video variations" workspace driven through the real main window on the offscreen
// platform. Instant (the default): one click makes variations from the demo video's patches, with
// previews level by level; a stop leaves nothing behind. Learned: one click trains videogen (tiny
// preset) on the job thread, the training panel shows progress, loss curves and previews, the
// variations play; cancel stops a long (preview preset) training and keeps a resumable model;
// Resume finishes a stopped run; a broken video gives a message, not a crash. All the while the
// event loop must never stall for more than 100 ms.
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include "atelier/video.h"
#include "core/busy_program.h"
#include "document.h"
#include "job_runner.h"
#include "loss_chart.h"
#include "main_window.h"
#include "studio_settings.h"
#include "training_panel.h"
#include "ui_test_support.h"
#include "video_player.h"
#include "video_variations_page.h"

using namespace atelier::ui;

namespace {

constexpr int kJobTimeoutMs = 180000;  // tiny trains in seconds; a loaded CI machine is slower
constexpr qint64 kMaxStallMs = 100;
constexpr int kTrainForMs = 4000;  // how long the preview preset trains before it is cancelled

// Measures the longest gap between ticks of a 5 ms timer: how long the event loop was blocked.
class StallMeter : public QObject {
 public:
  StallMeter() {
    connect(&timer_, &QTimer::timeout, this, [this] {
      if (clock_.isValid())
        longest_ = std::max(longest_, clock_.restart());
      else
        clock_.start();
    });
    timer_.start(5);
  }
  qint64 longestMs() const { return longest_; }

 private:
  QTimer timer_;
  QElapsedTimer clock_;
  qint64 longest_ = 0;
};

constexpr int kInstant = 0, kLearned = 1;  // the method chooser's entries

struct Studio {
  QTemporaryDir out;
  MainWindow window;

  explicit Studio(int method = kLearned) {
    window.resize(1280, 820);
    window.show();
    QVERIFY(window.openProject(test::demoProjectFile()));
    test::useTestSettings(window, out.path());
    QVERIFY(window.showWorkspace(QString::fromLatin1(VideoVariationsPage::kWorkspaceId)));
    QCOMPARE(page()->methodChooser()->currentIndex(), kInstant);  // preselected
    page()->methodChooser()->setCurrentIndex(method);
    page()->countSpin()->setValue(2);
    // The window's first layout and paint happen here, not in a stall meter's watch: they are
    // the studio opening, not the job blocking the event loop.
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCoreApplication::processEvents();
  }
  VideoVariationsPage* page() const { return window.videoVariationsPage(); }
};

}  // namespace

class VideoVariationsTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { test::isolateSettings(); }

  void instantVariationsPlayWithPreviewsLevelByLevel() {
    Studio studio(kInstant);
    VideoVariationsPage* page = studio.page();
    QVERIFY(page->isInstant());
    QCOMPARE(page->presetChooser()->currentText(), QStringLiteral("tiny"));
    QVERIFY(page->widthSpin()->isVisible());  // the instant mode's own size
    page->widthSpin()->setValue(40);
    page->framesSpin()->setValue(8);
    QSignalSpy ready(page, &VideoVariationsPage::variationsReady);
    QSignalSpy previews(studio.window.jobRunner(), &JobRunner::previewed);
    StallMeter stalls;
    QVERIFY(page->generate());
    QVERIFY(ready.wait(kJobTimeoutMs));
    QVERIFY2(stalls.longestMs() <= kMaxStallMs,
             qPrintable(QStringLiteral("event loop stalled %1 ms").arg(stalls.longestMs())));
    QVERIFY(previews.count() >= 4);  // every level of each variation
    QCOMPARE(studio.window.trainingPanel()->progressPermille(), 1000);
    QCOMPARE(page->playerCount(), 3);  // the input and two variations
    for (int i = 0; i < page->playerCount(); ++i) QVERIFY(page->player(i)->isPlaying());
    const QDir folder(page->outputFolder());
    for (const char* name :
         {"input.mp4", "variation_1.mp4", "variation_2.gif", "contact_sheet.png"})
      QVERIFY2(folder.exists(QLatin1String(name)), name);
    QVERIFY(!folder.exists(QStringLiteral("model.atl")));  // no training, no model
    const atelier::Video first =
        atelier::read_video(folder.filePath(QStringLiteral("variation_1.mp4")).toStdString());
    QCOMPARE(first.width(), 40);
    QCOMPARE(static_cast<int>(first.frames.size()), 8);
    QString error;
    QVERIFY2(page->exportVariation(0, studio.out.filePath(QStringLiteral("instant.gif")), &error),
             qPrintable(error));

    // Stopped at its first step: nothing written, nothing to resume.
    JobRunner* runner = studio.window.jobRunner();
    QSignalSpy finished(runner, &JobRunner::finished);
    auto cancelAtOnce = connect(runner, &JobRunner::progressed, runner, [runner] {
      if (!runner->isCancelling()) runner->cancel();
    });
    QVERIFY(page->generate());
    QVERIFY(finished.wait(kJobTimeoutMs));
    disconnect(cancelAtOnce);
    QCOMPARE(finished.last().at(0).toBool(), false);
    QVERIFY(!QFileInfo::exists(page->outputFolder()));
    QVERIFY(!runner->canResume());
    QVERIFY(page->statusText().contains(QStringLiteral("nothing was written")));
  }

  void oneClickTrainsShowsProgressAndPlaysTheVariations() {
    Studio studio;
    VideoVariationsPage* page = studio.page();
    QCOMPARE(page->presetChooser()->currentText(), QStringLiteral("tiny"));
    QVERIFY(!page->widthSpin()->isVisible());  // the learned model's own size comes from its preset
    QVERIFY(page->videoChooser()->currentText().endsWith(QStringLiteral(".mp4")));
    QSignalSpy ready(page, &VideoVariationsPage::variationsReady);
    QSignalSpy progressed(studio.window.jobRunner(), &JobRunner::progressed);
    QSignalSpy previews(studio.window.jobRunner(), &JobRunner::previewed);

    StallMeter stalls;
    QTest::mouseClick(page->generateButton(), Qt::LeftButton);
    QVERIFY(studio.window.jobRunner()->isRunning());
    QVERIFY(!page->generateButton()->isEnabled());  // one job at a time
    QVERIFY(ready.wait(kJobTimeoutMs));
    qInfo("longest event-loop stall while the tiny preset trained: %lld ms", stalls.longestMs());
    QVERIFY2(stalls.longestMs() <= kMaxStallMs,
             qPrintable(QStringLiteral("event loop stalled %1 ms").arg(stalls.longestMs())));

    TrainingPanel* panel = studio.window.trainingPanel();
    QVERIFY(progressed.count() > 3);
    QVERIFY(previews.count() > 0);
    QVERIFY(!panel->preview().isNull());
    QVERIFY(panel->lossChart()->seriesCount() > 0);
    QCOMPARE(panel->progressPermille(), 1000);

    QCOMPARE(page->playerCount(), 3);  // the input and two variations
    for (int i = 0; i < page->playerCount(); ++i) {
      QVERIFY(page->player(i)->frameCount() >= 5);
      QVERIFY(page->player(i)->isPlaying());
    }
    const QDir folder(page->outputFolder());
    QVERIFY(folder.absolutePath().startsWith(studio.out.path()));
    for (const char* name :
         {"model.atl", "input.mp4", "variation_1.mp4", "variation_2.gif", "contact_sheet.png"}) {
      QVERIFY2(folder.exists(QLatin1String(name)), name);
    }
    QString error;
    const QString exported = studio.out.filePath(QStringLiteral("chosen.gif"));
    QVERIFY2(page->exportVariation(1, exported, &error), qPrintable(error));
    QVERIFY(QFileInfo(exported).size() > 0);
    QVERIFY(!page->exportVariation(5, exported, &error));

    // A second run never writes over the first one's folder.
    const QString first = page->outputFolder();
    QVERIFY(page->generate());
    QVERIFY(ready.wait(kJobTimeoutMs));
    QVERIFY(page->outputFolder() != first);
    QVERIFY(QDir(first).exists(QStringLiteral("variation_1.mp4")));
  }

  void cancelStopsALongTrainingAndTheWindowStaysResponsive() {
    Studio studio;
    VideoVariationsPage* page = studio.page();
    JobRunner* runner = studio.window.jobRunner();
    TrainingPanel* panel = studio.window.trainingPanel();
    page->presetChooser()->setCurrentText(QStringLiteral("preview"));  // minutes: cancel it
    QSignalSpy finished(runner, &JobRunner::finished);
    QSignalSpy progressed(runner, &JobRunner::progressed);
    StallMeter stalls;
    QVERIFY(page->generate());
    QVERIFY(progressed.wait(kJobTimeoutMs));
    QTest::qWait(kTrainForMs);  // the meter keeps ticking while the job trains
    QVERIFY(runner->isRunning());
    QVERIFY(panel->progressPermille() > 0);
    QVERIFY(panel->statusText().contains(QStringLiteral("level")));

    QTest::mouseClick(panel->cancelButton(), Qt::LeftButton);
    QVERIFY(runner->isCancelling());
    QVERIFY(finished.wait(kJobTimeoutMs));
    QCOMPARE(finished.last().at(0).toBool(), false);
    qInfo("longest event-loop stall while the preview preset trained: %lld ms", stalls.longestMs());
    QVERIFY2(stalls.longestMs() <= kMaxStallMs,
             qPrintable(QStringLiteral("event loop stalled %1 ms").arg(stalls.longestMs())));
    QCOMPARE(page->playerCount(), 0);
    QVERIFY(QFileInfo::exists(QDir(page->outputFolder()).filePath(QStringLiteral("model.atl"))));
    QVERIFY(runner->canResume());
    QVERIFY(panel->resumeButton()->isVisibleTo(panel));
    QVERIFY(panel->statusText().contains(QStringLiteral("Stopped")));
    QVERIFY(page->generateButton()->isEnabled());
  }

  // The studio's default threads (automatic) beside another program that keeps a core busy: the
  // training gives that core up and the window keeps answering.
  void theWindowStaysResponsiveBesideABusyProgram() {
    Studio studio;
    StudioSettings settings = studio.window.settings();
    settings.threads = 0;
    studio.window.applySettings(settings);
    VideoVariationsPage* page = studio.page();
    JobRunner* runner = studio.window.jobRunner();
    page->presetChooser()->setCurrentText(QStringLiteral("preview"));
    QSignalSpy finished(runner, &JobRunner::finished);
    QSignalSpy progressed(runner, &JobRunner::progressed);
    atelier::BusyProgram busy;
    StallMeter stalls;
    QVERIFY(page->generate());
    QVERIFY(progressed.wait(kJobTimeoutMs));
    QTest::qWait(kTrainForMs);
    QVERIFY(runner->isRunning());
    studio.window.trainingPanel()->cancelButton()->click();
    QVERIFY(finished.wait(kJobTimeoutMs));
    qInfo("longest event-loop stall beside a busy program: %lld ms", stalls.longestMs());
    QVERIFY2(stalls.longestMs() <= kMaxStallMs,
             qPrintable(QStringLiteral("event loop stalled %1 ms").arg(stalls.longestMs())));
  }

  void resumeFinishesAStoppedRun() {
    Studio studio;
    VideoVariationsPage* page = studio.page();
    JobRunner* runner = studio.window.jobRunner();
    TrainingPanel* panel = studio.window.trainingPanel();
    QSignalSpy finished(runner, &JobRunner::finished);
    QSignalSpy ready(page, &VideoVariationsPage::variationsReady);
    // Cancel as soon as training reports its first step.
    auto cancelAtOnce = connect(runner, &JobRunner::progressed, panel, [panel] {
      if (panel->cancelButton()->isVisible() && panel->cancelButton()->isEnabled()) {
        panel->cancelButton()->click();
      }
    });
    QVERIFY(page->generate());
    QVERIFY(finished.wait(kJobTimeoutMs));
    QCOMPARE(finished.last().at(0).toBool(), false);
    QCOMPARE(ready.count(), 0);
    disconnect(cancelAtOnce);

    QTest::mouseClick(panel->resumeButton(), Qt::LeftButton);
    QVERIFY(ready.wait(kJobTimeoutMs));
    QCOMPARE(page->playerCount(), 3);
    QVERIFY(!runner->canResume());
    QVERIFY(!panel->resumeButton()->isVisibleTo(panel));
  }

  void aBrokenVideoGivesAMessageNamingItAndLeavesNothingBehind() {
    Studio studio;
    QTemporaryDir media;
    const QString video = media.filePath(QStringLiteral("broken.mp4"));
    QVERIFY(QFile::copy(test::demoMedia(QStringLiteral("city-night.mp4")), video));
    QVERIFY(studio.window.importFiles({video}) == 1);
    VideoVariationsPage* page = studio.page();
    page->videoChooser()->setCurrentIndex(
        page->videoChooser()->findText(QStringLiteral("broken.mp4")));
    {
      QFile file(video);  // the file goes bad after it was imported
      QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
      file.write("not a video at all");
    }
    QSignalSpy shown(&studio.window, &MainWindow::errorShown);
    QVERIFY(page->generate());
    QVERIFY(shown.wait(kJobTimeoutMs));
    QVERIFY2(shown.last().at(0).toString().contains(QStringLiteral("broken.mp4")),
             qPrintable(shown.last().at(0).toString()));
    QVERIFY(!QFileInfo::exists(page->outputFolder()));
    QVERIFY(!studio.window.jobRunner()->isRunning());
    QVERIFY(page->generateButton()->isEnabled());
  }
};

QTEST_MAIN(VideoVariationsTest)
#include "video_variations_test.moc"
