// The "One-shot translation" workspace through the real main window (offscreen): bad input (no
// pictures in the B folder, a file that is not a picture, a model file that is not a oneshot
// model) gives a message and changes nothing; a tiny phase I and phase II train on a small B
// folder (crops of a demo photo) and one demo picture, with progress, previews and charted
// losses; the translation shows beside the picture; a second dropped picture is translated at
// once without training; undo and redo step through the choices; the project saves and reopens
// with the model.
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>
#include <memory>

#include "atelier/model_file.h"
#include "atelier/preset.h"
#include "document.h"
#include "drop_canvas.h"
#include "job_runner.h"
#include "loss_chart.h"
#include "main_window.h"
#include "oneshot_job.h"
#include "oneshot_page.h"
#include "training_panel.h"
#include "ui_test_support.h"

using namespace atelier::ui;

namespace {

constexpr int kJobTimeoutMs = 240000;
constexpr int kRenderTimeoutMs = 60000;

// A B folder: 24 crops of 32 x 32 px of a demo photo (one size, as phase I needs).
QString makeBFolder(const QString& parent) {
  const QString folder = QDir(parent).filePath(QStringLiteral("b_crops"));
  QDir().mkpath(folder);
  const QImage photo(test::demoMedia(QStringLiteral("coffee.png")));
  for (int i = 0; i < 24; ++i) {
    const int x = (i % 6) * (photo.width() - 32) / 5;
    const int y = (i / 6) * (photo.height() - 32) / 3;
    photo.copy(x, y, 32, 32).save(QDir(folder).filePath(QStringLiteral("crop_%1.png").arg(i)));
  }
  return folder;
}

}  // namespace

class OneshotTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    test::isolateSettings();
    window_ = std::make_unique<MainWindow>();
    window_->resize(1280, 820);
    window_->show();
    test::useTestSettings(*window_, out_.path());
    QVERIFY(window_->workspaceIds().contains(QStringLiteral("oneshot")));
    QVERIFY(window_->showWorkspace(QString::fromLatin1(OneshotState::kWorkspaceId)));
    QCOMPARE(window_->currentWorkspace(), QStringLiteral("oneshot"));
  }
  void cleanupTestCase() { window_.reset(); }

  void presetsAreTheEngines() {
    QComboBox* presets = window_->oneshotPage()->presetChooser();
    const std::vector<std::string> engine = atelier::list_presets("oneshot");
    QCOMPARE(presets->count(), int(engine.size()));
    for (int i = 0; i < presets->count(); ++i)
      QCOMPARE(presets->itemText(i).toStdString(), engine[std::size_t(i)]);
    QCOMPARE(presets->currentText(), QStringLiteral("tiny"));  // the settings' choice
  }

  void badInputGivesAMessageAndChangesNothing() {
    OneshotPage* page = window_->oneshotPage();
    Document* document = window_->document();
    QSignalSpy errors(window_.get(), &MainWindow::errorShown);
    const int steps = document->undoStack()->count();

    // Train before anything is chosen.
    QVERIFY(!page->train());
    QVERIFY(page->statusText().contains(QStringLiteral("B pictures")));

    // An empty folder, then a folder of one text file.
    const QString empty = out_.filePath(QStringLiteral("empty"));
    QVERIFY(QDir().mkpath(empty));
    QVERIFY(!page->chooseBFolder(empty));
    QVERIFY(page->statusText().contains(QStringLiteral("holds no pictures")));
    QVERIFY(errors.last().at(0).toString().contains(QStringLiteral("empty")));
    QFile notes(QDir(empty).filePath(QStringLiteral("notes.txt")));
    QVERIFY(notes.open(QIODevice::WriteOnly));
    notes.write("not a picture");
    notes.close();
    QVERIFY(!page->chooseBFolder(empty));
    QVERIFY(!page->chooseBFolder(out_.filePath(QStringLiteral("missing"))));
    QVERIFY(page->statusText().contains(QStringLiteral("not a folder")));

    // A file that is not a picture, and one that only says it is.
    QVERIFY(!page->dropPicture(notes.fileName()));
    QVERIFY(page->statusText().contains(QStringLiteral("notes.txt is not a picture")));
    const QString fake = QDir(empty).filePath(QStringLiteral("fake.png"));
    QFile fakeFile(fake);
    QVERIFY(fakeFile.open(QIODevice::WriteOnly));
    fakeFile.write("no PNG in here");
    fakeFile.close();
    QVERIFY(!page->dropPicture(fake));
    QVERIFY(page->statusText().contains(QStringLiteral("cannot be read")));

    // A model file that is not a oneshot model.
    const QString broken = QDir(empty).filePath(QStringLiteral("broken.atl"));
    QFile brokenFile(broken);
    QVERIFY(brokenFile.open(QIODevice::WriteOnly));
    brokenFile.write("no model here");
    brokenFile.close();
    QVERIFY(!page->useModelFile(broken));
    QVERIFY2(page->statusText().contains(QStringLiteral("broken.atl")),
             qPrintable(page->statusText()));

    QCOMPARE(errors.count(), 7);  // every refusal said so, in the status bar and a message box
    QCOMPARE(document->undoStack()->count(), steps);
    QVERIFY(document->oneshot() == OneshotState{});
  }

  void phaseOneTrainsOverTwoProcessesOfThisMachine() {
    // Preferences > Training processes 2: this process is rank 0, atelier-cli-engine rank 1.
    const QString b = makeBFolder(out_.filePath(QStringLiteral("two")));
    OneshotTrainRequest request;
    request.bFolder = b;
    request.baseOut = out_.filePath(QStringLiteral("two/base.atl"));
    request.picture = test::demoMedia(QStringLiteral("chelsea.png"));
    request.out = out_.filePath(QStringLiteral("two/a2b.atl"));
    request.preset = QStringLiteral("tiny");
    request.processes = 2;
    std::vector<std::string> phases;
    atelier::Callbacks callbacks;
    callbacks.on_progress = [&](const atelier::Progress& p) { phases.push_back(p.phase); };
    QVERIFY(oneshotTrainJob(request, false)(callbacks));
    const atelier::ModelInfo base = atelier::inspect_model(request.baseOut.toStdString());
    QVERIFY(base.finished);
    QVERIFY(atelier::inspect_model(request.out.toStdString()).finished);
    QVERIFY(std::find(phases.begin(), phases.end(), "autoencoder B") != phases.end());
  }

  void trainsAndTranslatesDroppedPictures() {
    OneshotPage* page = window_->oneshotPage();
    Document* document = window_->document();
    JobRunner* runner = window_->jobRunner();
    const QString b = makeBFolder(out_.path());
    const QString chelsea = test::demoMedia(QStringLiteral("chelsea.png"));
    const QString rocket = test::demoMedia(QStringLiteral("rocket.jpg"));

    QVERIFY(page->chooseBFolder(b));
    QCOMPARE(document->oneshot().bFolder, b);
    QVERIFY(page->dropPicture(chelsea));
    QCOMPARE(document->oneshot().picture, chelsea);
    QVERIFY(!page->pictureCanvas()->image().isNull());  // the A picture is shown at once
    QVERIFY(!page->hasModel());

    QSignalSpy ready(page, &OneshotPage::modelReady);
    QSignalSpy shown(page, &OneshotPage::translationShown);
    QSignalSpy previews(runner, &JobRunner::previewed);
    QSignalSpy progressed(runner, &JobRunner::progressed);
    QVERIFY(page->train());
    QVERIFY(runner->isRunning());
    QVERIFY(!page->trainButton()->isEnabled());
    QVERIFY(ready.wait(kJobTimeoutMs));
    QVERIFY(page->hasModel());
    QVERIFY(page->trainButton()->isEnabled());
    // Both phases reported progress; the previews and the losses reached the training panel.
    QSet<QString> phases;
    for (const QList<QVariant>& p : progressed)
      phases.insert(QString::fromStdString(p.at(0).value<atelier::Progress>().phase));
    QVERIFY(phases.contains(QStringLiteral("autoencoder B")));
    QVERIFY(phases.contains(QStringLiteral("translation")));
    QVERIFY(previews.count() > 0);
    QVERIFY(window_->trainingPanel()->lossChart()->seriesCount() > 0);
    const OneshotState trained = document->oneshot();
    QVERIFY(QFileInfo(trained.base).isFile());
    QVERIFY(QFileInfo(trained.model).isFile());
    QCOMPARE(trained.picture, chelsea);

    // The translation beside the picture, at the model's size (tiny: 16 px).
    QTRY_VERIFY_WITH_TIMEOUT(page->shownKey().endsWith(chelsea), kRenderTimeoutMs);
    const QImage first = page->translationCanvas()->image();
    QCOMPARE(first.size(), QSize(16, 16));

    // Another picture: translated at once, without training.
    QSignalSpy started(runner, &JobRunner::started);
    QVERIFY(page->dropPicture(rocket));
    QTRY_VERIFY_WITH_TIMEOUT(page->shownKey().endsWith(rocket), kRenderTimeoutMs);
    const QImage second = page->translationCanvas()->image();
    QCOMPARE(second.size(), QSize(16, 16));
    QVERIFY(second != first);
    QCOMPARE(started.count(), 0);
    QCOMPARE(document->oneshot().model, trained.model);

    // Undo and redo: the drop, then the training.
    QUndoStack* undo = document->undoStack();
    undo->undo();
    QCOMPARE(document->oneshot().picture, chelsea);
    QTRY_VERIFY_WITH_TIMEOUT(page->shownKey().endsWith(chelsea), kRenderTimeoutMs);
    QCOMPARE(page->translationCanvas()->image(), first);
    undo->undo();
    QVERIFY(document->oneshot().model.isEmpty());
    QVERIFY(!page->hasModel());
    QVERIFY(page->translationCanvas()->image().isNull());
    undo->redo();
    QTRY_VERIFY_WITH_TIMEOUT(page->hasModel(), kRenderTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(page->shownKey().endsWith(chelsea), kRenderTimeoutMs);
    undo->redo();
    QTRY_VERIFY_WITH_TIMEOUT(page->shownKey().endsWith(rocket), kRenderTimeoutMs);
    QCOMPARE(page->translationCanvas()->image(), second);

    // Saved with the project; reopened, the window shows the same translation.
    const QString file = out_.filePath(QStringLiteral("oneshot.atelier"));
    QString error;
    QVERIFY2(document->save(file, &error), qPrintable(error));
    const OneshotState saved = document->oneshot();
    QVERIFY(window_->openProject(file));
    OneshotPage* reopened = window_->oneshotPage();
    QVERIFY(window_->document()->oneshot() == saved);
    QTRY_VERIFY_WITH_TIMEOUT(reopened->hasModel(), kRenderTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(reopened->shownKey().endsWith(rocket), kRenderTimeoutMs);
    QCOMPARE(reopened->translationCanvas()->image(), second);
  }

  void aPhaseOneModelStandsForItsFolder() {
    OneshotPage* page = window_->oneshotPage();
    Document* document = window_->document();
    const OneshotState before = document->oneshot();
    QVERIFY(page->useModelFile(before.base));
    QCOMPARE(document->oneshot().base, before.base);
    QCOMPARE(document->oneshot().bFolder, before.bFolder);  // the folder the file recorded
    QVERIFY(document->oneshot().model.isEmpty());
    QVERIFY(!page->hasModel());
    // A phase II file as the B side's model is used as the translation it is.
    QVERIFY(page->useModelFile(before.model));
    QTRY_VERIFY_WITH_TIMEOUT(page->hasModel(), kRenderTimeoutMs);
    document->undoStack()->undo();
    document->undoStack()->undo();
    QVERIFY(document->oneshot() == before);
  }

 private:
  QTemporaryDir out_;
  std::unique_ptr<MainWindow> window_;
};

QTEST_MAIN(OneshotTest)
#include "oneshot_page_test.moc"
