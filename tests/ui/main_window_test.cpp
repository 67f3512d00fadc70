// MainWindow on the offscreen platform: opens the demo, lists its media, thumbnails arrive, the
// viewer shows pictures and plays the video, dropped files are imported as one undoable step, a
// model file opens in its workspace.
#include <QAction>
#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QListView>
#include <QMimeData>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QUrl>
#include <QtTest>

#include "atelier/image.h"
#include "atelier/preset.h"
#include "atelier/singan.h"
#include "document.h"
#include "engine_presets.h"
#include "image_canvas.h"
#include "main_window.h"
#include "media_list_model.h"
#include "media_view.h"
#include "project.h"
#include "recent_projects.h"
#include "screenshot.h"
#include "settings_dialog.h"
#include "single_image_page.h"
#include "single_image_state.h"
#include "ui_test_support.h"

using namespace atelier::ui;

namespace {

constexpr int kTimeoutMs = 15000;  // decoding on a busy 2-core machine

int demoMediaCount() {
  QString error;
  const std::optional<Project> demo = Project::read(test::demoProjectFile(), &error);
  return demo ? demo->media.size() : -1;
}

int rowOf(const MediaListModel* model, const QString& fileName) {
  for (int row = 0; row < model->rowCount(); ++row) {
    if (model->data(model->index(row), MediaListModel::PathRole).toString().endsWith(fileName)) {
      return row;
    }
  }
  return -1;
}

}  // namespace

class MainWindowTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { test::isolateSettings(); }

  // The preset choosers list what the engine has for each workspace's methods, not a fixed list.
  void preferencesOfferEachWorkspacesPresetsFromTheEngine() {
    const QStringList single =
        enginePresetNames({QStringLiteral("singan"), QStringLiteral("analogy")});
    const QStringList oneshot = enginePresetNames({QStringLiteral("oneshot")});
    QCOMPARE(single.mid(0, 2), (QStringList{QStringLiteral("tiny"), QStringLiteral("preview")}));
    QVERIFY(single.contains(QStringLiteral("reference")));
    QVERIFY(oneshot.contains(QStringLiteral("photo")));
    QCOMPARE(QStringList(single).removeDuplicates(), 0);

    SettingsDialog dialog(
        StudioSettings{},
        {{QStringLiteral("single-image"),
          QStringLiteral("single image"),
          {QStringLiteral("singan"), QStringLiteral("analogy")}},
         {QStringLiteral("oneshot"), QStringLiteral("one-shot"), {QStringLiteral("oneshot")}}});
    QList<QStringList> offered;
    for (const QComboBox* chooser : dialog.findChildren<QComboBox*>()) {
      QStringList items;
      for (int i = 0; i < chooser->count(); ++i) items << chooser->itemText(i);
      offered << items;
    }
    QVERIFY(offered.contains(single));
    QVERIFY(offered.contains(oneshot));
  }

  void opensDemoAndListsItsMedia() {
    MainWindow window;
    window.show();
    QVERIFY(window.openProject(test::demoProjectFile()));
    MediaListModel* model = window.mediaModel();
    QCOMPARE(model->rowCount(), demoMediaCount());
    QCOMPARE(window.mediaList()->model()->rowCount(), demoMediaCount());
    QVERIFY(window.windowTitle().startsWith(QStringLiteral("Demo")));

    // Thumbnails come from the worker thread, every one of them.
    QTRY_VERIFY_WITH_TIMEOUT(model->hasThumbnail(0), kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(window.isSettled(), kTimeoutMs);
    for (int row = 0; row < model->rowCount(); ++row) {
      QVERIFY2(model->hasThumbnail(row), qPrintable(QString::number(row)));
      const QIcon icon = model->data(model->index(row), Qt::DecorationRole).value<QIcon>();
      const QSize size = icon.availableSizes().value(0);
      QVERIFY2(size.width() >= 96 || size.height() >= 96, qPrintable(QString::number(row)));
      QVERIFY(model->data(model->index(row)).toString().contains(QStringLiteral(" × ")));
    }

    // The first item is selected and shown.
    QCOMPARE(window.mediaList()->currentIndex().row(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(window.mediaView()->hasMedia(), kTimeoutMs);
    QVERIFY(!window.mediaView()->canvas()->image().isNull());
    QCOMPARE(window.mediaView()->sourceSize(), QSize(512, 512));  // astronaut.png
  }

  void playsTheDemoVideo() {
    MainWindow window;
    window.show();
    QVERIFY(window.openProject(test::demoProjectFile()));
    const int row = rowOf(window.mediaModel(), QStringLiteral("city-night.mp4"));
    QVERIFY(row >= 0);
    window.selectMedia(row);
    MediaView* view = window.mediaView();
    QTRY_VERIFY_WITH_TIMEOUT(view->hasMedia() && view->frameCount() > 1, kTimeoutMs);
    QCOMPARE(view->frameCount(), 40);
    QCOMPARE(view->sourceSize(), QSize(320, 180));
    QVERIFY(view->fps() > 20 && view->fps() < 30);
    QVERIFY(view->isPlaying());
    QSignalSpy frames(view, &MediaView::frameChanged);
    QTRY_VERIFY_WITH_TIMEOUT(frames.count() >= 3, kTimeoutMs);
    view->pause();
    QVERIFY(!view->isPlaying());
  }

  void droppedFilesAreImportedAndUndoable() {
    MainWindow window;
    window.show();
    window.newProject();
    QCOMPARE(window.mediaModel()->rowCount(), 0);

    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(test::demoMedia(QStringLiteral("coffee.png"))),
                  QUrl::fromLocalFile(test::demoMedia(QStringLiteral("city-night.mp4")))});
    QDragEnterEvent enter(QPoint(400, 300), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(400, 300), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);

    QCOMPARE(window.mediaModel()->rowCount(), 2);
    QVERIFY(window.document()->isModified());
    QVERIFY(window.isWindowModified());
    QTRY_VERIFY_WITH_TIMEOUT(window.mediaModel()->hasThumbnail(1), kTimeoutMs);

    // Edit > Undo / Redo act on the document.
    QAction* undo = nullptr;
    QAction* redo = nullptr;
    for (QAction* action : window.findChildren<QAction*>()) {
      if (action->shortcut() == QKeySequence(QKeySequence::Undo)) undo = action;
      if (action->shortcut() == QKeySequence(QKeySequence::Redo)) redo = action;
    }
    QVERIFY(undo && redo);
    QVERIFY(undo->isEnabled());
    undo->trigger();
    QCOMPARE(window.mediaModel()->rowCount(), 0);
    QVERIFY(!window.isWindowModified());
    redo->trigger();
    QCOMPARE(window.mediaModel()->rowCount(), 2);

    // A text file is not accepted.
    QTemporaryDir dir;
    const QString notes = dir.filePath(QStringLiteral("notes.txt"));
    QFile(notes).open(QIODevice::WriteOnly);
    QMimeData text;
    text.setUrls({QUrl::fromLocalFile(notes)});
    QDragEnterEvent refused(QPoint(10, 10), Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
    refused.setAccepted(false);
    QApplication::sendEvent(&window, &refused);
    QVERIFY(!refused.isAccepted());
  }

  void failedOpenKeepsTheProjectAndNamesTheFile() {
    MainWindow window;
    window.show();
    QVERIFY(window.openProject(test::demoProjectFile()));
    QSignalSpy errors(&window, &MainWindow::errorShown);
    QVERIFY(!window.openProject(QStringLiteral("/nonexistent/lost.atelier")));
    QCOMPARE(errors.count(), 1);
    QVERIFY(errors.front().at(0).toString().contains(QStringLiteral("lost.atelier")));
    QCOMPARE(window.mediaModel()->rowCount(), demoMediaCount());
  }

  // What a double click on a model file does: the studio opens it in its method's workspace; a
  // file that is not a model is named in the message and the project stays.
  void aModelFileOpensInItsWorkspace() {
    QTemporaryDir dir;
    const QString model = dir.filePath(QStringLiteral("chelsea.atl"));
    atelier::TrainOptions options;
    options.out = model.toStdString();
    atelier::train_singan(
        atelier::load_image(test::demoMedia(QStringLiteral("chelsea.png")).toStdString()),
        atelier::load_preset("singan", "tiny"), options);
    MainWindow window;
    window.show();
    QVERIFY(window.openProject(test::demoProjectFile()));
    QSignalSpy ready(window.singleImagePage(), &SingleImagePage::modelReady);
    QVERIFY(window.openFile(model));
    QCOMPARE(window.currentWorkspace(), QString::fromLatin1(SingleImageState::kWorkspaceId));
    QVERIFY(ready.wait(kTimeoutMs));
    QVERIFY(window.singleImagePage()->hasModel());
    // The canvas says what to do with the model, not the instant mode's "press Generate".
    const QString hint = window.singleImagePage()->canvas()->message();
    QVERIFY2(hint.contains(QStringLiteral("grid")) && !hint.contains(QStringLiteral("Generate")),
             qPrintable(hint));
    QCOMPARE(window.mediaModel()->rowCount(), demoMediaCount());  // the project is still open

    const QString fake = dir.filePath(QStringLiteral("notes.atl"));
    QFile file(fake);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not a model");
    file.close();
    QSignalSpy errors(&window, &MainWindow::errorShown);
    QVERIFY(!window.openFile(fake));
    QCOMPARE(errors.count(), 1);
    QVERIFY(errors.front().at(0).toString().contains(QStringLiteral("notes.atl")));
    QCOMPARE(window.mediaModel()->rowCount(), demoMediaCount());
  }

  void missingAndCorruptMediaAreMarked() {
    QTemporaryDir dir;
    QFile corrupt(dir.filePath(QStringLiteral("bad.png")));
    QVERIFY(corrupt.open(QIODevice::WriteOnly));
    corrupt.write("this is not a PNG");
    corrupt.close();
    Project project;
    project.media = {{dir.filePath(QStringLiteral("gone.png")), MediaKind::Image},
                     {dir.filePath(QStringLiteral("bad.png")), MediaKind::Image},
                     {test::demoMedia(QStringLiteral("rocket.jpg")), MediaKind::Image}};
    const QString file = dir.filePath(QStringLiteral("broken.atelier"));
    QString error;
    QVERIFY2(project.write(file, &error), qPrintable(error));

    MainWindow window;
    window.show();
    QSignalSpy failed(window.mediaView(), &MediaView::loadFailed);
    QVERIFY(window.openProject(file));
    MediaListModel* model = window.mediaModel();
    QTRY_VERIFY_WITH_TIMEOUT(window.isSettled(), kTimeoutMs);
    QVERIFY(model->data(model->index(0)).toString().contains(QStringLiteral("Missing")));
    QVERIFY(model->data(model->index(1)).toString().contains(QStringLiteral("Unreadable")));
    QVERIFY(model->data(model->index(1), Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("bad.png")));
    QVERIFY(!model->hasThumbnail(0) && !model->hasThumbnail(1) && model->hasThumbnail(2));
    // The viewer tells why the selected (first) item cannot be shown.
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeoutMs);
    QVERIFY(failed.front().at(1).toString().contains(QStringLiteral("gone.png")));
    QVERIFY(!window.mediaView()->hasMedia());
  }

  void openedProjectsBecomeRecent() {
    RecentProjects::clear();
    QTemporaryDir dir;
    const QString other = dir.filePath(QStringLiteral("other.atelier"));
    QString error;
    QVERIFY2(Project().write(other, &error), qPrintable(error));
    MainWindow window;
    QVERIFY(window.openProject(test::demoProjectFile()));
    QVERIFY(window.openProject(other));
    QCOMPARE(RecentProjects::list(), QStringList({other, test::demoProjectFile()}));
    QVERIFY(window.openProject(test::demoProjectFile()));
    QCOMPARE(RecentProjects::list().front(), test::demoProjectFile());
    QVERIFY(QFile::remove(other));
    QCOMPARE(RecentProjects::list(), QStringList({test::demoProjectFile()}));  // gone: left out
    for (int i = 0; i < RecentProjects::kMaxEntries + 3; ++i) {
      const QString file = dir.filePath(QStringLiteral("p%1.atelier").arg(i));
      QVERIFY(Project().write(file, &error));
      RecentProjects::add(file);
    }
    QCOMPARE(RecentProjects::list().size(), RecentProjects::kMaxEntries);
  }

  void screenshotOfTheSettledWindow() {
    QTemporaryDir dir;
    MainWindow window;
    window.resize(1000, 700);
    window.show();
    QVERIFY(window.openProject(test::demoProjectFile()));
    const QString file = dir.filePath(QStringLiteral("shot.png"));
    bool finished = false;
    bool saved = false;
    saveScreenshotWhenSettled(&window, file, kTimeoutMs, 100,
                              [&](bool ok, const QString&) { finished = true, saved = ok; });
    QTRY_VERIFY_WITH_TIMEOUT(finished, kTimeoutMs + 5000);
    QVERIFY(saved);
    const QImage shot(file);
    QCOMPARE(shot.size(), window.size() * window.devicePixelRatio());
  }
};

QTEST_MAIN(MainWindowTest)
#include "main_window_test.moc"
