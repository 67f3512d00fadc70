// Crash recovery: the studio autosaves unsaved changes, drops them when the project is saved or
// closed cleanly, and after a real crash (a child studio that aborts) offers them back.
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>
#include <cstdlib>

#include "autosave.h"
#include "document.h"
#include "main_window.h"
#include "project.h"
#include "ui_test_support.h"

using namespace atelier::ui;

namespace {

constexpr int kTimeoutMs = 15000;
constexpr const char* kCrashChild = "ATELIER_AUTOSAVE_TEST_CRASH_PROJECT";

QString demoPicture(const char* name) {
  return QDir(QStringLiteral(ATELIER_DEMO_DIR "/media")).filePath(QLatin1String(name));
}

// An empty project saved in `dir`.
QString emptyProject(const QTemporaryDir& dir) {
  const QString file = dir.filePath(QStringLiteral("walks.atelier"));
  QString error;
  Project project;
  project.name = QStringLiteral("Walks");
  if (!project.write(file, &error)) qFatal("%s", qPrintable(error));
  return file;
}

// The child process: a studio that opens the project, imports a picture, autosaves and crashes.
int crashingStudio(int argc, char** argv) {
  QApplication app(argc, argv);
  // Settings (recent projects) beside the project; the recovery folder is the parent test's.
  const QString project = qEnvironmentVariable(kCrashChild);
  QCoreApplication::setOrganizationName(QStringLiteral("AtelierTest"));
  QSettings::setDefaultFormat(QSettings::IniFormat);
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, QFileInfo(project).absolutePath());
  MainWindow window;
  if (!window.openProject(project)) return 3;
  if (window.importFiles({demoPicture("chelsea.png")}) != 1) return 4;
  QString error;
  if (!window.autosave()->writeNow(&error)) return 5;
  std::abort();  // no destructor runs: what a crash leaves behind
}

}  // namespace

class AutosaveTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { test::isolateSettings(); }

  void unsavedChangesAreKeptUntilTheProjectIsSaved() {
    QTemporaryDir dir;
    auto window = std::make_unique<MainWindow>();
    QVERIFY(window->openProject(emptyProject(dir)));
    Autosave* autosave = window->autosave();
    autosave->setDelay(10);
    const QString file = autosave->file();
    QVERIFY(!QFile::exists(file));  // nothing unsaved, nothing written

    QCOMPARE(window->importFiles({demoPicture("coffee.png")}), 1);
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(file), kTimeoutMs);
    QFile written(file);
    QVERIFY(written.open(QIODevice::ReadOnly));
    QVERIFY(written.readAll().contains("coffee.png"));
    // A studio that is still running is not a crash: its file is not offered to others.
    QVERIFY(Autosave::orphans(autosave->folder()).isEmpty());

    QVERIFY(window->saveProject());
    QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(file), kTimeoutMs);

    // Unsaved again, then the window closes cleanly (the person chose to discard): no file stays.
    QCOMPARE(window->importFiles({demoPicture("rocket.jpg")}), 1);
    QVERIFY(autosave->writeNow());
    QVERIFY(QFile::exists(file));
    window.reset();
    QVERIFY(!QFile::exists(file));
    QVERIFY(!QFile::exists(file.chopped(4) + QStringLiteral("lock")));
  }

  void aCrashedStudiosChangesAreOfferedBackAndRecovered() {
    QTemporaryDir dir;
    const QString project = emptyProject(dir);
    QProcess child;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QLatin1String(kCrashChild), project);
    child.setProcessEnvironment(environment);
    child.start(QCoreApplication::applicationFilePath(), {});
    QVERIFY(child.waitForFinished(60000));
    QCOMPARE(child.exitStatus(), QProcess::CrashExit);

    MainWindow window;
    const QList<Autosave::Entry> orphans = Autosave::orphans(window.autosave()->folder());
    QCOMPARE(orphans.size(), 1);
    const Autosave::Entry entry = orphans.front();
    QCOMPARE(entry.projectFile, project);
    QCOMPARE(entry.name, QStringLiteral("Walks"));

    QVERIFY(window.recoverProject(entry));
    Document* document = window.document();
    QCOMPARE(document->fileName(), project);
    QVERIFY(document->isModified());  // recovered, not yet saved
    QCOMPARE(document->mediaCount(), 1);
    QCOMPARE(QFileInfo(document->media(0).path).fileName(), QStringLiteral("chelsea.png"));
    QVERIFY(!QFile::exists(entry.file));  // offered once: this session's autosave holds it now
    QVERIFY(Autosave::orphans(window.autosave()->folder()).isEmpty());

    QVERIFY(window.saveProject());  // the project the person was working on gets the changes
    QString error;
    const std::optional<Project> saved = Project::read(project, &error);
    QVERIFY2(saved, qPrintable(error));
    QCOMPARE(saved->media.size(), 1);
  }
};

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsSet(kCrashChild)) return crashingStudio(argc, argv);
  QApplication app(argc, argv);
  AutosaveTest test;
  return QTest::qExec(&test, argc, argv);
}

#include "autosave_test.moc"
