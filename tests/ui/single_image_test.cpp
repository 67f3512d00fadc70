// The "Single image & analogy" workspace through the real main window (offscreen). Instant (the
// default): Generate makes samples of a demo picture from its patches, shown level by level at
// the picture's own size, then a->b and b->a of a pair and a painting; each result is one undo
// step and saved with the project. Learned: a tiny singan trains on a demo picture from the GUI;
// the grid fills with samples, new seeds give new ones, the slider between two samples and
// paint-to-image show pictures; a tiny analogy shows a->b; the choices are undoable and saved
// with the project; a wrong model file gives a message.
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>
#include <algorithm>
#include <memory>

#include "document.h"
#include "image_canvas.h"
#include "job_runner.h"
#include "main_window.h"
#include "media_list_model.h"
#include "project.h"
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

  void instantPicturesSharpenLevelByLevel() {
    SingleImagePage* page = window_->singleImagePage();
    Document* document = window_->document();
    QVERIFY(page->isInstant());  // preselected
    QCOMPARE(page->trainButton()->text(), QStringLiteral("Generate"));
    QCOMPARE(page->presetChooser()->currentText(), QStringLiteral("tiny"));
    page->choose(false, test::demoMedia(QStringLiteral("coffee.png")), {});
    QSignalSpy results(page, &SingleImagePage::resultsReady);
    QSignalSpy previews(window_->jobRunner(), &JobRunner::previewed);
    QVERIFY(page->train());
    QVERIFY(results.wait(kJobTimeoutMs));
    QTRY_COMPARE_WITH_TIMEOUT(page->renderedGridCount(), SingleImagePage::kGridSize,
                              kRenderTimeoutMs);
    // Every level of every sample was previewed, at the picture's own size (as the tiny preset
    // uses it: coffee.png fitted into 64 px).
    QVERIFY(previews.count() >= 2 * SingleImagePage::kGridSize);
    const QImage sample(QDir(page->resultsFolder()).filePath(QStringLiteral("sample_1.png")));
    QCOMPARE(std::max(sample.width(), sample.height()), 64);
    for (const QList<QVariant>& preview : previews)
      QCOMPARE(preview.at(0).value<QImage>().size(), sample.size());
    const QImage first = page->grid()->item(0)->icon().pixmap(64).toImage();
    QVERIFY(first != page->grid()->item(1)->icon().pixmap(64).toImage());  // seeds differ
    QVERIFY(!page->hasModel());

    // One undo step; saved with the project.
    const QString folder = page->resultsFolder();
    document->undoStack()->undo();
    QVERIFY(page->resultsFolder().isEmpty());
    document->undoStack()->redo();
    QCOMPARE(page->resultsFolder(), folder);
    const QString file = out_.filePath(QStringLiteral("instant.atelier"));
    QString error;
    QVERIFY2(document->save(file, &error), qPrintable(error));
    std::unique_ptr<Document> reopened = Document::open(file, &error);
    QVERIFY2(reopened, qPrintable(error));
    QVERIFY(reopened->singleImage() == document->singleImage());
    QVERIFY(reopened->singleImage().instant);

    // A pair: a->b and b->a; then a painting in b's patches.
    page->choose(true, test::demoMedia(QStringLiteral("coffee.png")),
                 test::demoMedia(QStringLiteral("chelsea.png")));
    QVERIFY(page->train());
    QVERIFY(results.wait(kJobTimeoutMs));
    QTRY_COMPARE_WITH_TIMEOUT(page->renderedGridCount(), 2, kRenderTimeoutMs);
    QCOMPARE(page->grid()->item(0)->text(), QStringLiteral("a → b"));
    QVERIFY(page->paintFrom(test::demoMedia(QStringLiteral("rocket.jpg"))));
    QTRY_VERIFY_WITH_TIMEOUT(page->shownKey().contains(QStringLiteral("instant|paint|")),
                             kJobTimeoutMs);
    QVERIFY(!page->canvas()->image().isNull());
  }

  void singanTrainsAndBrowses() {
    SingleImagePage* page = window_->singleImagePage();
    Document* document = window_->document();
    page->chooseInstant(false);
    QCOMPARE(page->trainButton()->text(), QStringLiteral("Train"));
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
    // The translations start at the levels the model chose, one per direction.
    QCOMPARE(page->levelSpin()->value(), -1);
    QVERIFY(page->grid()->item(0)->text().startsWith(QStringLiteral("a → b (level ")));
    // The strip: a->b and b->a at every level, each level's own picture, the chosen one marked.
    LevelStrip* strip = page->levelStrip();
    QVERIFY(strip->isVisibleTo(page));
    const int levels = page->levelSpin()->maximum() + 1;
    QCOMPARE(strip->count(), 2 * levels);
    QTRY_COMPARE_WITH_TIMEOUT(strip->renderedCount(), strip->count(), kRenderTimeoutMs);
    int marked = 0;
    for (int i = 0; i < strip->count(); ++i) marked += strip->item(i)->text().endsWith("✓");
    QCOMPARE(marked, 2);
    const QImage coarsest = strip->item(0)->icon().pixmap(96).toImage();
    const QImage finest = strip->item(levels - 1)->icon().pixmap(96).toImage();
    QVERIFY(coarsest != finest);
    // Picking a level uses it: the spin follows and the picture is shown.
    QSignalSpy shown(page, &SingleImagePage::resultShown);
    strip->itemClicked(strip->item(1));
    QCOMPARE(page->levelSpin()->value(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(page->shownKey().contains(QStringLiteral("|translate|0|1|")),
                             kRenderTimeoutMs);
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

  // A project opens even when the model its workspace names is damaged: the workspace says which
  // file and why, and shows no model (a crafted file once brought the studio down).
  void aProjectNamingADamagedModelStillOpens() {
    const QString real = window_->document()->singleImage().model;  // the analogy trained above
    QFile source(real);
    QVERIFY(source.open(QIODevice::ReadOnly));
    const QByteArray bytes = source.readAll();
    source.close();
    QByteArray flipped = bytes;
    flipped[flipped.size() / 2] = char(flipped[flipped.size() / 2] ^ 0x5a);
    const std::pair<QString, QByteArray> damaged[] = {
        {QStringLiteral("garbage.atl"), QByteArray("ATL? no, just text")},
        {QStringLiteral("truncated.atl"), bytes.left(bytes.size() / 2)},
        {QStringLiteral("flipped.atl"), flipped},
    };
    for (const auto& [name, content] : damaged) {
      const QString model = out_.filePath(name);
      QFile file(model);
      QVERIFY(file.open(QIODevice::WriteOnly));
      file.write(content);
      file.close();
      Project project;
      project.media = {{test::demoMedia(QStringLiteral("coffee.png")), MediaKind::Image},
                       {test::demoMedia(QStringLiteral("chelsea.png")), MediaKind::Image}};
      project.singleImage.instant = false;
      project.singleImage.pair = true;
      project.singleImage.imageA = project.media[0].path;
      project.singleImage.imageB = project.media[1].path;
      project.singleImage.model = model;
      const QString projectFile = out_.filePath(name + QStringLiteral(".atelier"));
      QString error;
      QVERIFY2(project.write(projectFile, &error), qPrintable(error));

      window_->document()->undoStack()->setClean();  // no "save changes?" question
      QSignalSpy errors(window_.get(), &MainWindow::errorShown);
      QVERIFY(window_->openProject(projectFile));
      QTRY_VERIFY_WITH_TIMEOUT(!errors.isEmpty(), kRenderTimeoutMs);
      QVERIFY2(errors.last().at(0).toString().contains(name),
               qPrintable(errors.last().at(0).toString()));
      QVERIFY(!window_->singleImagePage()->hasModel());
      QCOMPARE(window_->mediaModel()->rowCount(), 2);  // the rest of the project is there
    }
  }

 private:
  QTemporaryDir out_;
  std::unique_ptr<MainWindow> window_;
};

QTEST_MAIN(SingleImageTest)
#include "single_image_test.moc"
