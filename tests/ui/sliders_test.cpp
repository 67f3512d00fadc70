// The "Latent sliders" workspace through the real main window (offscreen): it renders with the
// model the transfer workspace trained; a mouse drag of a slider is one undo step however many
// values it passes, and the canvas follows; keyboard steps are steps of their own; the
// interpolation exports as a PNG strip and a GIF; choices and values are saved with the project.
#include <QComboBox>
#include <QSignalSpy>
#include <QSlider>
#include <QStyle>
#include <QStyleOptionSlider>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>
#include <memory>

#include "attribute_transfer_page.h"
#include "document.h"
#include "image_canvas.h"
#include "main_window.h"
#include "sliders_page.h"
#include "ui_test_support.h"

using namespace atelier::ui;

namespace {

constexpr int kJobTimeoutMs = 180000;
constexpr int kRenderTimeoutMs = 30000;

QPoint handleCentre(QSlider* slider) {
  QStyleOptionSlider option;
  option.initFrom(slider);
  option.orientation = slider->orientation();
  option.minimum = slider->minimum();
  option.maximum = slider->maximum();
  option.sliderPosition = slider->sliderPosition();
  option.sliderValue = slider->value();
  return slider->style()
      ->subControlRect(QStyle::CC_Slider, &option, QStyle::SC_SliderHandle, slider)
      .center();
}

}  // namespace

class SlidersTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    test::isolateSettings();
    window_ = std::make_unique<MainWindow>();
    window_->resize(1280, 820);
    window_->show();
    QVERIFY(window_->openProject(test::demoProjectFile()));
    test::useTestSettings(*window_, out_.path());
    AttributeTransferPage* transfer = window_->attributeTransferPage();
    transfer->addToGallery(Domain::A, {test::demoMedia(QStringLiteral("astronaut.png")),
                                       test::demoMedia(QStringLiteral("coffee.png"))});
    transfer->addToGallery(Domain::B, {test::demoMedia(QStringLiteral("chelsea.png")),
                                       test::demoMedia(QStringLiteral("rocket.jpg"))});
    QSignalSpy ready(transfer, &AttributeTransferPage::modelReady);
    QVERIFY(transfer->train());
    QVERIFY(ready.wait(kJobTimeoutMs));
    QVERIFY(window_->showWorkspace(QString::fromLatin1(SliderState::kWorkspaceId)));
  }
  void cleanupTestCase() { window_.reset(); }

  void aDragIsOneUndoStepAndTheCanvasFollows() {
    SlidersPage* page = window_->slidersPage();
    Document* document = window_->document();
    QSignalSpy shown(page, &SlidersPage::resultShown);
    page->chooseImages(test::demoMedia(QStringLiteral("chelsea.png")),
                       test::demoMedia(QStringLiteral("astronaut.png")));
    QVERIFY(shown.wait(kRenderTimeoutMs));
    const QImage before = page->canvas()->image();
    QVERIFY(!before.isNull());
    QVERIFY(page->lastLatencyMs() >= 0);

    QSlider* slider = page->slider(SliderState::Toward);
    QVERIFY(slider->isEnabled());
    const int steps = document->undoStack()->count();
    const QPoint start = handleCentre(slider);
    QTest::mousePress(slider, Qt::LeftButton, {}, start);
    for (int dx = 10; dx <= slider->width() / 2; dx += 10) {
      QTest::mouseMove(slider, start + QPoint(dx, 0));
    }
    QTest::mouseRelease(slider, Qt::LeftButton, {}, start + QPoint(slider->width() / 2, 0));
    QVERIFY(document->sliders().values[SliderState::Toward] > 0.2);
    QCOMPARE(document->undoStack()->count(), steps + 1);  // the whole drag, one step
    QTRY_VERIFY_WITH_TIMEOUT(page->shownKey().endsWith(QStringLiteral("|%1").arg(
                                 document->sliders().values[SliderState::Toward], 0, 'f', 3)),
                             kRenderTimeoutMs);
    QVERIFY(page->canvas()->image() != before);

    document->undoStack()->undo();
    QCOMPARE(document->sliders().values[SliderState::Toward], 0.0);
    QCOMPARE(slider->value(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(page->shownKey().endsWith(QStringLiteral("|0.000")), kRenderTimeoutMs);
    document->undoStack()->redo();
    QVERIFY(document->sliders().values[SliderState::Toward] > 0.2);
  }

  void keyboardStepsAreStepsOfTheirOwn() {
    SlidersPage* page = window_->slidersPage();
    Document* document = window_->document();
    QSlider* slider = page->slider(SliderState::StrengthA);
    slider->setFocus();
    const int steps = document->undoStack()->count();
    QTest::keyClick(slider, Qt::Key_PageUp);
    QTest::keyClick(slider, Qt::Key_PageUp);
    QCOMPARE(document->undoStack()->count(), steps + 2);
    QCOMPARE(document->sliders().values[SliderState::StrengthA], 1.2);
    document->undoStack()->undo();
    QCOMPARE(document->sliders().values[SliderState::StrengthA], 1.1);
  }

  void exportsTheInterpolationAndSavesTheChoices() {
    SlidersPage* page = window_->slidersPage();
    QSignalSpy exported(page, &SlidersPage::exported);
    const QString strip = out_.filePath(QStringLiteral("strip.png"));
    QVERIFY(page->exportInterpolation(strip, 5));
    QVERIFY(exported.wait(kRenderTimeoutMs));
    QCOMPARE(exported.last().at(1).toString(), QString());
    const QImage image(strip);
    QCOMPARE(image.width(), 5 * 32 + 4 * 2);  // five 32 px frames of the tiny model, 2 px gaps
    const QString gif = out_.filePath(QStringLiteral("strip.gif"));
    QVERIFY(page->exportInterpolation(gif, 4));
    QVERIFY(exported.wait(kRenderTimeoutMs));
    QVERIFY(QFileInfo(gif).size() > 0);
    QVERIFY(page->exportInterpolation(out_.filePath(QStringLiteral("strip.txt")), 4));
    QVERIFY(exported.wait(kRenderTimeoutMs));
    QVERIFY(!exported.last().at(1).toString().isEmpty());  // refused, with a reason

    const QString file = out_.filePath(QStringLiteral("sliders.atelier"));
    QString error;
    QVERIFY2(window_->document()->save(file, &error), qPrintable(error));
    std::unique_ptr<Document> reopened = Document::open(file, &error);
    QVERIFY2(reopened, qPrintable(error));
    QVERIFY(reopened->sliders() == window_->document()->sliders());
  }

 private:
  QTemporaryDir out_;
  std::unique_ptr<MainWindow> window_;
};

QTEST_MAIN(SlidersTest)
#include "sliders_test.moc"
