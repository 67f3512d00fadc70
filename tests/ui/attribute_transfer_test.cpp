// The "Attribute transfer" workspace through the real main window (offscreen): galleries are
// undoable document state saved with the project; a tiny model trains from them on the job
// thread; a thumbnail dropped on the canvas (a simulated drag and drop) gives the chosen image
// its attribute as one undo step; removal, the masktransfer mask, and a bad model file.
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QListWidget>
#include <QMimeData>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QUrl>
#include <QtTest>
#include <memory>

#include "atelier/model_file.h"
#include "atelier/preset.h"
#include "attribute_transfer_page.h"
#include "core/model_archive.h"
#include "document.h"
#include "gallery_view.h"
#include "main_window.h"
#include "transfer_canvas.h"
#include "transfer_job.h"
#include "ui_test_support.h"

using namespace atelier::ui;

namespace {

constexpr int kJobTimeoutMs = 180000;
constexpr int kRenderTimeoutMs = 30000;

// Drops `mime` on the middle of `target` as the window system would: enter, then drop. Returns
// whether the drop was accepted.
bool dropOn(QWidget* target, QMimeData* mime) {
  const QPoint at = target->rect().center();
  QDragEnterEvent enter(at, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
  enter.setAccepted(false);
  QApplication::sendEvent(target, &enter);
  if (!enter.isAccepted()) return false;
  QDropEvent drop(QPointF(at), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
  drop.setAccepted(false);
  QApplication::sendEvent(target, &drop);
  return drop.isAccepted();
}

double meanAbsDifference(const QImage& a, const QImage& b) {
  const QImage x = a.convertToFormat(QImage::Format_RGB888);
  const QImage y = b.scaled(x.size()).convertToFormat(QImage::Format_RGB888);
  double sum = 0;
  for (int row = 0; row < x.height(); ++row) {
    const uchar* p = x.constScanLine(row);
    const uchar* q = y.constScanLine(row);
    for (int i = 0; i < 3 * x.width(); ++i) sum += std::abs(int(p[i]) - int(q[i]));
  }
  return sum / (3.0 * x.width() * x.height());
}

struct Studio {
  QTemporaryDir out;
  MainWindow window;
  AttributeTransferPage* page;

  explicit Studio(const QString& method = QStringLiteral("disentangle")) {
    window.resize(1280, 820);
    window.show();
    page = window.attributeTransferPage();
    if (!window.openProject(test::demoProjectFile())) return;
    test::useTestSettings(window, out.path());
    window.showWorkspace(QString::fromLatin1(TransferState::kWorkspaceId));
    page->methodChooser()->setCurrentIndex(page->methodChooser()->findData(method));
  }

  void fillGalleries() {
    page->addToGallery(Domain::A, {test::demoMedia(QStringLiteral("astronaut.png")),
                                   test::demoMedia(QStringLiteral("coffee.png"))});
    page->addToGallery(Domain::B, {test::demoMedia(QStringLiteral("chelsea.png")),
                                   test::demoMedia(QStringLiteral("rocket.jpg"))});
  }

  bool trainTiny() {
    QSignalSpy ready(page, &AttributeTransferPage::modelReady);
    return page->train() && ready.wait(kJobTimeoutMs);
  }
};

}  // namespace

class AttributeTransferTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { test::isolateSettings(); }

  void galleriesAreUndoableAndSavedWithTheProject() {
    Studio studio;
    Document* document = studio.window.document();
    studio.fillGalleries();
    QCOMPARE(studio.page->gallery(Domain::A)->count(), 2);
    QCOMPARE(studio.page->gallery(Domain::B)->count(), 2);

    // Files dragged in from the media list or a file manager join a gallery as one step.
    QMimeData files;
    files.setUrls({QUrl::fromLocalFile(test::demoMedia(QStringLiteral("chelsea.png"))),
                   QUrl::fromLocalFile(test::demoMedia(QStringLiteral("city-night.mp4")))});
    QVERIFY(dropOn(studio.page->gallery(Domain::A)->viewport(), &files));
    QCOMPARE(document->transfer().galleryA.size(), 3);  // the video is not an image
    document->undoStack()->undo();
    QCOMPARE(document->transfer().galleryA.size(), 2);
    document->undoStack()->undo();
    QCOMPARE(studio.page->gallery(Domain::B)->count(), 0);
    document->undoStack()->redo();
    QCOMPARE(studio.page->gallery(Domain::B)->count(), 2);

    studio.page->removeFromGallery(Domain::A, {document->transfer().galleryA.front()});
    QCOMPARE(document->transfer().galleryA.size(), 1);
    document->undoStack()->undo();

    const QString saved = studio.out.filePath(QStringLiteral("galleries.atelier"));
    QString error;
    QVERIFY2(document->save(saved, &error), qPrintable(error));
    const TransferState before = document->transfer();
    std::unique_ptr<Document> reopened = Document::open(saved, &error);
    QVERIFY2(reopened, qPrintable(error));
    QVERIFY(reopened->transfer() == before);
  }

  void trainsOverTwoProcessesOfThisMachine() {
    // Preferences > Training processes 2: this process is rank 0; rank 1, an atelier-cli-engine,
    // reads the galleries from list files. A rank that never came would fail the rendezvous.
    QTemporaryDir out;
    for (const char* method : {"disentangle", "masktransfer"}) {
      TransferTrainRequest request;
      request.method = method;
      request.preset = "tiny";
      request.a = {test::demoMedia(QStringLiteral("astronaut.png")).toStdString(),
                   test::demoMedia(QStringLiteral("coffee.png")).toStdString()};
      request.b = {test::demoMedia(QStringLiteral("chelsea.png")).toStdString(),
                   test::demoMedia(QStringLiteral("rocket.jpg")).toStdString()};
      request.options.out = out.filePath(QString::fromLatin1(method) + ".atl").toStdString();
      request.options.compute = {"cpu", 1};
      request.processes = 2;
      int reports = 0;
      atelier::Callbacks callbacks;
      callbacks.on_progress = [&](const atelier::Progress&) { ++reports; };
      QVERIFY2(transferTrainJob(request, false)(callbacks), method);
      const atelier::ModelInfo model = atelier::inspect_model(request.options.out);
      QVERIFY(model.finished);
      QCOMPARE(model.step,
               atelier::load_preset(method, "tiny").params["steps"].get<std::int64_t>());
      QVERIFY(reports > 0);
    }
  }

  void aDropOnTheCanvasTransfersAndUndoRedoFollow() {
    Studio studio;
    Document* document = studio.window.document();
    AttributeTransferPage* page = studio.page;
    studio.fillGalleries();
    QVERIFY(studio.trainTiny());
    QVERIFY(page->hasModel());
    QVERIFY(QFileInfo::exists(document->transfer().model));

    // Choose the image to change: a click on a thumbnail of B.
    QSignalSpy shown(page, &AttributeTransferPage::resultShown);
    GalleryView* b = page->gallery(Domain::B);
    const QRect item = b->visualItemRect(b->item(0));
    QTest::mouseClick(b->viewport(), Qt::LeftButton, {}, item.center());
    QCOMPARE(page->target(), b->pathAt(0));
    QVERIFY(shown.wait(kRenderTimeoutMs));
    const QImage original = page->canvas()->image();
    QVERIFY(!original.isNull());

    // Drag A's first thumbnail onto the canvas.
    const int undoBefore = document->undoStack()->count();
    std::unique_ptr<QMimeData> mime(page->gallery(Domain::A)->mimeDataFor(0));
    QVERIFY(dropOn(page->canvas(), mime.get()));
    QCOMPARE(document->undoStack()->count(), undoBefore + 1);  // one drop, one step
    QCOMPARE(document->transfer().history.size(), 1);
    const TransferStep step = document->transfer().history.front();
    QCOMPARE(step.from, page->gallery(Domain::A)->pathAt(0));
    QCOMPARE(step.onto, b->pathAt(0));
    QVERIFY(step.attribute == Domain::A);
    QVERIFY(shown.wait(kRenderTimeoutMs));
    QVERIFY(page->shownKey().contains(QStringLiteral("transfer|a|")));
    const QImage result = page->canvas()->image();
    QVERIFY(!result.isNull());
    QVERIFY(meanAbsDifference(result, original) > 1.0);
    QCOMPARE(page->historyStrip()->count(), 1);

    // Undo takes the transfer back and shows the image itself; redo brings the result again.
    document->undoStack()->undo();
    QCOMPARE(document->transfer().history.size(), 0);
    QCOMPARE(page->historyStrip()->count(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(page->shownKey().startsWith(QStringLiteral("original|")),
                             kRenderTimeoutMs);
    document->undoStack()->redo();
    QTRY_VERIFY_WITH_TIMEOUT(page->shownKey().contains(QStringLiteral("transfer|a|")),
                             kRenderTimeoutMs);

    // Removal is a step too; the history strip keeps both, each with its picture.
    QVERIFY(page->removeAttributes());
    QCOMPARE(document->transfer().history.size(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(page->shownKey().contains(QStringLiteral("remove|")),
                             kRenderTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!page->historyStrip()->item(0)->icon().isNull() &&
                                 !page->historyStrip()->item(1)->icon().isNull(),
                             kRenderTimeoutMs);
    // A click on the first entry shows that result again.
    page->historyStrip()->setCurrentRow(0);
    QTRY_VERIFY_WITH_TIMEOUT(page->shownKey().contains(QStringLiteral("transfer|a|")),
                             kRenderTimeoutMs);
  }

  void masktransferShowsItsMask() {
    Studio studio(QStringLiteral("masktransfer"));
    studio.fillGalleries();
    QVERIFY(studio.trainTiny());
    AttributeTransferPage* page = studio.page;
    QVERIFY(page->maskToggle()->isEnabled());
    page->chooseTarget(page->gallery(Domain::A)->pathAt(0));
    QVERIFY(page->transferFrom(page->gallery(Domain::B)->pathAt(1), Domain::B));
    QTRY_VERIFY_WITH_TIMEOUT(page->shownKey().contains(QStringLiteral("transfer|b|")),
                             kRenderTimeoutMs);
    QVERIFY(!page->canvas()->mask().isNull());
    const QImage plain = page->canvas()->image();
    page->maskToggle()->setChecked(true);
    QVERIFY(page->canvas()->image() != plain);  // the changed area is tinted

    // A model whose self-check after training failed says so plainly when it opens. (The tiny
    // set holds no pictures back, so the check is written into the file here.)
    const std::string path = studio.window.document()->transfer().model.toStdString();
    atelier::RawModelArchive archive = atelier::read_raw_model_archive(path, "masktransfer");
    archive.info.state["self_check"] = {
        {"pairs", 30}, {"judge_accuracy", 0.9}, {"a_onto_b_as_a", 0.9}, {"b_onto_a_as_b", 0.1}};
    atelier::write_raw_model_archive(path, archive);
    QSignalSpy ready(page, &AttributeTransferPage::modelReady);
    page->loadModelFile(QString::fromStdString(path));
    QVERIFY(ready.wait(kRenderTimeoutMs));
    QVERIFY2(page->statusText().contains(QStringLiteral("B's attribute did not separate")),
             qPrintable(page->statusText()));
    QVERIFY(page->statusToolTip().contains(QStringLiteral("Try the standard preset")));
  }

  void aDropWithoutAModelAndABadModelFileGiveMessages() {
    Studio studio;
    studio.fillGalleries();
    AttributeTransferPage* page = studio.page;
    QSignalSpy errors(&studio.window, &MainWindow::errorShown);
    page->chooseTarget(page->gallery(Domain::B)->pathAt(0));
    std::unique_ptr<QMimeData> mime(page->gallery(Domain::A)->mimeDataFor(0));
    QVERIFY(dropOn(page->canvas(), mime.get()));
    QCOMPARE(errors.count(), 1);
    QVERIFY(studio.window.document()->transfer().history.isEmpty());

    const QString bad = studio.out.filePath(QStringLiteral("bad.atl"));
    QFile file(bad);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("this is not a model");
    file.close();
    page->loadModelFile(bad);
    QVERIFY(errors.wait(kRenderTimeoutMs));
    QVERIFY2(errors.last().at(0).toString().contains(QStringLiteral("bad.atl")),
             qPrintable(errors.last().at(0).toString()));
    QVERIFY(!page->hasModel());
  }
};

QTEST_MAIN(AttributeTransferTest)
#include "attribute_transfer_test.moc"
