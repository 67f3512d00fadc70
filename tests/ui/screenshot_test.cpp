// Pictures of every workspace of the studio, for people to look at (run under xvfb-run, so the
// real X11 platform paints them): <dir>/<workspace>.png, and the video variations workspace once
// more after a one-click instant run with the tiny preset (its training panel and players filled
// in), the single image workspace with instant samples and with a tiny SinGAN, and the attribute
// transfer and latent sliders workspaces with a tiny model, the one-shot translation workspace
// with a tiny translation and the robustness report workspace with a tiny report (these two
// also leave their project, studio22.atelier, and models in <dir>/oneshot-robustness, for
// `atelier --screenshot`).
// <dir> is $ATELIER_SCREENSHOT_DIR, else screenshots/ in the build folder. The test checks that
// each picture was written and is not blank.
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QImage>
#include <QListWidget>
#include <QSet>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include "attribute_transfer_page.h"
#include "document.h"
#include "main_window.h"
#include "oneshot_page.h"
#include "robustness_page.h"
#include "single_image_page.h"
#include "sliders_page.h"
#include "ui_test_support.h"
#include "video_variations_page.h"

using namespace atelier::ui;

namespace {

constexpr int kSettleMs = 15000;
constexpr int kJobTimeoutMs = 180000;

QString screenshotDir() {
  return qEnvironmentVariable("ATELIER_SCREENSHOT_DIR", QStringLiteral(ATELIER_SCREENSHOT_DIR));
}

// Distinct colours on a coarse grid: a blank or half-painted window has very few.
int colourCount(const QImage& image) {
  QSet<QRgb> colours;
  for (int y = 0; y < image.height(); y += 7) {
    for (int x = 0; x < image.width(); x += 7) colours.insert(image.pixel(x, y));
  }
  return colours.size();
}

}  // namespace

class ScreenshotTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    test::isolateSettings();
    QVERIFY(QDir().mkpath(screenshotDir()));
  }

  void everyWorkspace() {
    QTemporaryDir out;
    MainWindow window;
    window.resize(1280, 820);
    window.show();
    QVERIFY(window.openProject(test::demoProjectFile()));
    test::useTestSettings(window, out.path());
    window.selectMedia(0);

    for (const QString& id : window.workspaceIds()) {
      QVERIFY(window.showWorkspace(id));
      save(window, id);
    }

    QVERIFY(window.showWorkspace(QString::fromLatin1(VideoVariationsPage::kWorkspaceId)));
    VideoVariationsPage* page = window.videoVariationsPage();
    page->countSpin()->setValue(4);
    QSignalSpy ready(page, &VideoVariationsPage::variationsReady);
    QVERIFY(page->generate());
    QVERIFY(ready.wait(kJobTimeoutMs));
    save(window, QStringLiteral("video-variations-result"));

    // Attribute transfer: galleries, a tiny model, one transfer and one removal.
    QVERIFY(window.showWorkspace(QString::fromLatin1(TransferState::kWorkspaceId)));
    AttributeTransferPage* transfer = window.attributeTransferPage();
    transfer->addToGallery(Domain::A, {test::demoMedia(QStringLiteral("astronaut.png")),
                                       test::demoMedia(QStringLiteral("coffee.png"))});
    transfer->addToGallery(Domain::B, {test::demoMedia(QStringLiteral("chelsea.png")),
                                       test::demoMedia(QStringLiteral("rocket.jpg"))});
    QSignalSpy modelReady(transfer, &AttributeTransferPage::modelReady);
    QVERIFY(transfer->train());
    QVERIFY(modelReady.wait(kJobTimeoutMs));
    transfer->chooseTarget(test::demoMedia(QStringLiteral("chelsea.png")));
    QVERIFY(transfer->removeAttributes());
    QVERIFY(transfer->transferFrom(test::demoMedia(QStringLiteral("astronaut.png")), Domain::A));
    QTRY_VERIFY_WITH_TIMEOUT(transfer->shownKey().contains(QStringLiteral("transfer|a|")),
                             kJobTimeoutMs);
    save(window, QStringLiteral("attribute-transfer-result"));

    // Latent sliders with that model: the common code half way to a second image.
    QVERIFY(window.showWorkspace(QString::fromLatin1(SliderState::kWorkspaceId)));
    SlidersPage* sliders = window.slidersPage();
    QSignalSpy shown(sliders, &SlidersPage::resultShown);
    sliders->chooseImages(test::demoMedia(QStringLiteral("chelsea.png")),
                          test::demoMedia(QStringLiteral("astronaut.png")));
    QVERIFY(shown.wait(kJobTimeoutMs));
    sliders->slider(SliderState::Toward)->setValue(50);
    QVERIFY(shown.wait(kJobTimeoutMs));
    save(window, QStringLiteral("latent-sliders-result"));

    // Single image, instant: samples of the astronaut at the preview preset's size, one large.
    QVERIFY(window.showWorkspace(QString::fromLatin1(SingleImageState::kWorkspaceId)));
    SingleImagePage* single = window.singleImagePage();
    single->choose(false, test::demoMedia(QStringLiteral("astronaut.png")), {});
    single->presetChooser()->setCurrentText(QStringLiteral("preview"));
    QSignalSpy instantReady(single, &SingleImagePage::resultsReady);
    QVERIFY(single->train());
    QVERIFY(instantReady.wait(kJobTimeoutMs));
    QTRY_COMPARE_WITH_TIMEOUT(single->renderedGridCount(), SingleImagePage::kGridSize,
                              kJobTimeoutMs);
    single->grid()->itemClicked(single->grid()->item(1));
    QTRY_VERIFY_WITH_TIMEOUT(single->shownKey().contains(QStringLiteral("sample_2")),
                             kJobTimeoutMs);
    save(window, QStringLiteral("single-image-instant"));

    // Single image, learned: a tiny SinGAN of the coffee cup, its samples and one of them large.
    single->chooseInstant(false);
    single->presetChooser()->setCurrentText(QStringLiteral("tiny"));
    single->choose(false, test::demoMedia(QStringLiteral("coffee.png")), {});
    QSignalSpy singleReady(single, &SingleImagePage::modelReady);
    QVERIFY(single->train());
    QVERIFY(singleReady.wait(kJobTimeoutMs));
    QTRY_COMPARE_WITH_TIMEOUT(single->renderedGridCount(), SingleImagePage::kGridSize,
                              kJobTimeoutMs);
    single->betweenSlider()->setValue(30);
    QTRY_VERIFY_WITH_TIMEOUT(single->shownKey().contains(QStringLiteral("|between|")),
                             kJobTimeoutMs);
    save(window, QStringLiteral("single-image-result"));
  }

  void oneshotAndRobustnessResults() {
    QDir work(QDir(screenshotDir()).filePath(QStringLiteral("oneshot-robustness")));
    QVERIFY(work.removeRecursively() || !work.exists());
    QVERIFY(QDir().mkpath(work.filePath(QStringLiteral("b"))));
    MainWindow window;
    window.resize(1280, 820);
    window.show();
    test::useTestSettings(window, work.path());

    // One-shot: B is 24 crops of the coffee photo; A is the cat; then the rocket is dropped.
    const QImage photo(test::demoMedia(QStringLiteral("coffee.png")));
    for (int i = 0; i < 24; ++i) {
      photo.copy((i % 6) * (photo.width() - 32) / 5, (i / 6) * (photo.height() - 32) / 3, 32, 32)
          .save(work.filePath(QStringLiteral("b/crop_%1.png").arg(i)));
    }
    QVERIFY(window.showWorkspace(QString::fromLatin1(OneshotState::kWorkspaceId)));
    OneshotPage* oneshot = window.oneshotPage();
    QVERIFY(oneshot->chooseBFolder(work.filePath(QStringLiteral("b"))));
    QVERIFY(oneshot->dropPicture(test::demoMedia(QStringLiteral("chelsea.png"))));
    QSignalSpy ready(oneshot, &OneshotPage::modelReady);
    QVERIFY(oneshot->train());
    QVERIFY(ready.wait(kJobTimeoutMs));
    QTRY_VERIFY_WITH_TIMEOUT(!oneshot->shownKey().isEmpty(), kJobTimeoutMs);
    QVERIFY(oneshot->dropPicture(test::demoMedia(QStringLiteral("rocket.jpg"))));
    QTRY_VERIFY_WITH_TIMEOUT(oneshot->shownKey().endsWith(QStringLiteral("rocket.jpg")),
                             kJobTimeoutMs);
    save(window, QStringLiteral("oneshot-result"));

    // Robustness: a tiny report on MNIST, two seeds.
    QVERIFY(window.showWorkspace(QString::fromLatin1(RobustnessState::kWorkspaceId)));
    RobustnessPage* robustness = window.robustnessPage();
    robustness->datasetChooser()->setCurrentIndex(
        robustness->datasetChooser()->findData(QStringLiteral("mnist")));
    robustness->presetChooser()->setCurrentText(QStringLiteral("tiny"));
    robustness->pSpin()->setValue(0.3);
    robustness->seedsSpin()->setValue(2);
    QSignalSpy shown(robustness, &RobustnessPage::reportShown);
    QVERIFY(robustness->run());
    QVERIFY(shown.wait(kJobTimeoutMs));
    save(window, QStringLiteral("robustness-result"));
    QString error;
    QVERIFY2(window.document()->save(work.filePath(QStringLiteral("studio22.atelier")), &error),
             qPrintable(error));
  }

 private:
  void save(MainWindow& window, const QString& name) {
    QElapsedTimer waited;
    waited.start();
    while (!window.isSettled() && waited.elapsed() < kSettleMs) QTest::qWait(50);
    QTest::qWait(400);  // a few paints (and video frames) more
    const QImage shot = window.grab().toImage();
    const QString file = QDir(screenshotDir()).filePath(name + QStringLiteral(".png"));
    QVERIFY2(shot.save(file), qPrintable(file));
    qInfo("saved %s", qPrintable(file));
    QVERIFY2(colourCount(QImage(file)) > 50, qPrintable(file + QStringLiteral(" looks blank")));
  }
};

QTEST_MAIN(ScreenshotTest)
#include "screenshot_test.moc"
