// Document: importing media as one undoable step, undo/redo, save marks it clean.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "document.h"
#include "ui_test_support.h"

using atelier::ui::Document;
using atelier::ui::MediaKind;
using atelier::ui::test::demoMedia;

class DocumentTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void newDocumentIsEmptyAndClean() {
    Document document;
    QCOMPARE(document.mediaCount(), 0);
    QVERIFY(!document.isModified());
    QVERIFY(document.fileName().isEmpty());
    QCOMPARE(document.displayName(), QStringLiteral("Untitled"));
  }

  void importIsOneUndoableStep() {
    QTemporaryDir dir;
    const QString notMedia = dir.filePath(QStringLiteral("notes.txt"));
    QFile(notMedia).open(QIODevice::WriteOnly);

    Document document;
    QSignalSpy inserted(&document, &Document::mediaInserted);
    QSignalSpy removed(&document, &Document::mediaRemoved);
    QSignalSpy modified(&document, &Document::modifiedChanged);

    const QString cat = demoMedia(QStringLiteral("chelsea.png"));
    const QString video = demoMedia(QStringLiteral("city-night.mp4"));
    QStringList skipped;
    const int added = document.importMedia(
        {cat, video, notMedia, cat, dir.filePath(QStringLiteral("gone.png"))}, &skipped);
    QCOMPARE(added, 2);
    QCOMPARE(skipped.size(), 3);  // not media, duplicate, missing
    QCOMPARE(document.mediaCount(), 2);
    QCOMPARE(document.media(0).path, cat);
    QCOMPARE(document.media(1).kind, MediaKind::Video);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.front().at(0).toInt(), 0);
    QCOMPARE(inserted.front().at(1).toInt(), 1);
    QVERIFY(document.isModified());
    QCOMPARE(modified.count(), 1);
    QCOMPARE(document.undoStack()->count(), 1);
    QCOMPARE(document.undoStack()->undoText(), QStringLiteral("Import 2 files"));

    // Importing what is already there changes nothing and adds no step.
    QCOMPARE(document.importMedia({cat}), 0);
    QCOMPARE(document.undoStack()->count(), 1);

    document.undoStack()->undo();
    QCOMPARE(document.mediaCount(), 0);
    QCOMPARE(removed.count(), 1);
    QVERIFY(!document.isModified());

    document.undoStack()->redo();
    QCOMPARE(document.mediaCount(), 2);
    QCOMPARE(document.media(1).path, video);
    QCOMPARE(inserted.count(), 2);
    QVERIFY(document.isModified());
  }

  void saveMarksCleanAndReopens() {
    QTemporaryDir dir;
    Document document;
    QSignalSpy renamed(&document, &Document::fileNameChanged);
    QCOMPARE(document.importMedia({demoMedia(QStringLiteral("rocket.jpg"))}), 1);
    const QString file = dir.filePath(QStringLiteral("mine.atelier"));
    QString error;
    QVERIFY2(document.save(file, &error), qPrintable(error));
    QVERIFY(!document.isModified());
    QCOMPARE(document.fileName(), file);
    QCOMPARE(renamed.count(), 1);

    std::unique_ptr<Document> reopened = Document::open(file, &error);
    QVERIFY2(reopened, qPrintable(error));
    QCOMPARE(reopened->mediaCount(), 1);
    QCOMPARE(reopened->media(0).path, demoMedia(QStringLiteral("rocket.jpg")));
    QCOMPARE(reopened->displayName(), QStringLiteral("mine"));
    QVERIFY(!reopened->isModified());
  }

  void openFailureNamesTheFile() {
    QString error;
    QVERIFY(!Document::open(QStringLiteral("/nonexistent/x.atelier"), &error));
    QVERIFY2(error.contains(QStringLiteral("x.atelier")), qPrintable(error));
  }
};

QTEST_GUILESS_MAIN(DocumentTest)
#include "document_test.moc"
