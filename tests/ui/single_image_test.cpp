// The "Single image & analogy" workspace through the real main window (offscreen): a tiny singan
// trains on a demo picture from the GUI; the grid fills with samples, new seeds give new ones,
// the slider between two samples and paint-to-image show pictures; a tiny analogy shows a->b;
// the choices are undoable and saved with the project; a wrong model file gives a message.
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QListWidget>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>
#include <memory>

#include "document.h"
#include "image_canvas.h"
#include "main_window.h"
#include "single_image_page.h"
#include "ui_test_support.h"

using namespace atelier::ui;

namespace {

constexpr int kJobTimeoutMs = 300000;
constexpr int kRenderTimeoutMs = 60000;

}  // namespace

class SingleImageTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    test::isolateSettings();
    window_ = std::make_unique<MainWindow>();
    window_->resize(1280, 820);
    window_->show();
    QVERIFY(window_->openProject(test::demoProjectFile()));
    test::useTestSettings(*window_, out_.path());
    QVERIFY(window_->showWorkspace(QString::fromLatin1(SingleImageState::kWorkspaceId)));
  }
  void cleanupTestCase() { window_.reset(); }

  void singanTrainsAndBrowses() {
    SingleImagePage* page = window_->singleImagePage();
    Document* document = window_->document();
    page->choose(false, test::demoMedia(QStringLiteral("coffee.png")), {});
    QCOMPARE(document->singleImage().imageA, test::demoMedia(QStringLiteral("coffee.png")));
    QSignalSpy ready(page, &SingleImagePage::modelReady);
    QSignalSpy grid(page, &SingleImagePage::gridReady);
    QVERIFY(page->train());
    QVERIFY(ready.wait(kJobTimeoutMs));
    QVERIFY(page->hasModel());
    QVERIFY(QFileInfo::exists(document->singleImage().model));
    QTRY_COMPARE_WITH_TIMEOUT(page->renderedGridCount(), SingleImagePage::kGridSize,
                              kRenderTimeoutMs);
    const QImage first = page->grid()->item(0)->icon().pixmap(64).toImage();
    QVERIFY(first != page->grid()->item(1)->icon().pixmap(64).toImage());  // seeds differ

    // Wider samples, then new seeds.
    page->widthSpin()->setValue(1.5);
    QTRY_COMPARE_WITH_TIMEOUT(page->renderedGridCount(), SingleImagePage::kGridSize,
                              kRenderTimeoutMs);
    QSignalSpy shown(page, &SingleImagePage::resultShown);
    page->grid()->itemClicked(page->grid()->item(0));
    QTRY_VERIFY_WITH_TIMEOUT(!page->canvas()->image().isNull(), kRenderTimeoutMs);
    const QImage wide = page->canvas()->image();
    QVERIFY(wide.width() > wide.height());
    page->newSamples();
    QTRY_COMPARE_WITH_TIMEOUT(page->renderedGridCount(), SingleImagePage::kGridSize,
                              kRenderTimeoutMs);

    // Between two samples, and a painting.
    page->betweenSlider()->setValue(50);
    QTRY_VERIFY_WITH_TIMEOUT(page->shownKey().contains(QStringLiteral("|between|")),
                             kRenderTimeoutMs);
    QVERIFY(page->paintFrom(test::demoMedia(QStringLiteral("rocket.jpg"))));
    QTRY_VERIFY_WITH_TIMEOUT(page->shownKey().contains(QStringLiteral("|paint|")),
                             kRenderTimeoutMs);

    // The choice and the model are one undo step each, and saved with the project.
    const QString file = out_.filePath(QStringLiteral("single.atelier"));
    QString error;
    QVERIFY2(document->save(file, &error), qPrintable(error));
    std::unique_ptr<Document> reopened = Document::open(file, &error);
    QVERIFY2(reopened, qPrintable(error));
    QVERIFY(reopened->singleImage() == document->singleImage());
    document->undoStack()->undo();  // the model
    QVERIFY(document->singleImage().model.isEmpty());
    QVERIFY(!page->hasModel());
    document->undoStack()->redo();
    QTRY_VERIFY_WITH_TIMEOUT(page->hasModel(), kRenderTimeoutMs);
  }

  void analogyTranslates() {
    SingleImagePage* page = window_->singleImagePage();
    page->choose(true, test::demoMedia(QStringLiteral("coffee.png")),
                 test::demoMedia(QStringLiteral("chelsea.png")));
    QSignalSpy ready(page, &SingleImagePage::modelReady);
    QVERIFY(page->train());
    QVERIFY(ready.wait(kJobTimeoutMs));
    QTRY_COMPARE_WITH_TIMEOUT(page->renderedGridCount(), page->grid()->count(), kRenderTimeoutMs);
    QCOMPARE(page->grid()->item(0)->text(), QStringLiteral("a → b"));
    QVERIFY(page->paintFrom(test::demoMedia(QStringLiteral("rocket.jpg"))));
    QTRY_VERIFY_WITH_TIMEOUT(page->shownKey().contains(QStringLiteral("|paint|")),
                             kRenderTimeoutMs);
  }

  void aModelOfAnotherMethodIsRefusedWithAMessage() {
    SingleImagePage* page = window_->singleImagePage();
    QSignalSpy errors(window_.get(), &MainWindow::errorShown);
    const QString bad = out_.filePath(QStringLiteral("broken.atl"));
    QFile file(bad);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("no model here");
    file.close();
    page->loadModelFile(bad);
    QVERIFY(errors.wait(kRenderTimeoutMs));
    QVERIFY2(errors.last().at(0).toString().contains(QStringLiteral("broken.atl")),
             qPrintable(errors.last().at(0).toString()));
    QVERIFY(!page->hasModel());
  }

 private:
  QTemporaryDir out_;
  std::unique_ptr<MainWindow> window_;
};

QTEST_MAIN(SingleImageTest)
#include "single_image_test.moc"
