// Project files: save/load round trip, relative media paths, errors that name the file.
#include <sys/wait.h>
#include <unistd.h>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <random>

#include "project.h"
#include "ui_test_support.h"

using atelier::ui::Domain;
using atelier::ui::MediaItem;
using atelier::ui::MediaKind;
using atelier::ui::OneshotState;
using atelier::ui::Project;
using atelier::ui::RobustnessState;
using atelier::ui::TransferStep;

namespace {

void writeText(const QString& path, const QByteArray& text) {
  QFile file(path);
  QVERIFY(file.open(QIODevice::WriteOnly));
  file.write(text);
}

// Reads `text` as a project file and returns the error (empty if it loaded).
QString errorFor(const QTemporaryDir& dir, const QByteArray& text) {
  const QString path = dir.filePath(QStringLiteral("broken.atelier"));
  writeText(path, text);
  QString error;
  const bool loaded = Project::read(path, &error).has_value();
  return loaded ? QString() : error;
}

}  // namespace

class ProjectTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void roundTripKeepsEverything() {
    QTemporaryDir dir;
    QTemporaryDir elsewhere;
    Project project;
    project.name = QStringLiteral("Walks");
    project.media = {{dir.filePath(QStringLiteral("media/a.png")), MediaKind::Image},
                     {dir.filePath(QStringLiteral("clip.mp4")), MediaKind::Video},
                     {elsewhere.filePath(QStringLiteral("outside.jpg")), MediaKind::Image}};
    project.workspaces =
        QJsonArray{QJsonObject{{QStringLiteral("method"), QStringLiteral("singan")}}};
    project.settings = QJsonObject{{QStringLiteral("threads"), 2}};
    project.transfer.galleryA = {dir.filePath(QStringLiteral("media/a.png"))};
    project.transfer.galleryB = {elsewhere.filePath(QStringLiteral("outside.jpg"))};
    project.transfer.model = dir.filePath(QStringLiteral("models/faces.atl"));
    TransferStep transfer;
    transfer.onto = project.transfer.galleryB.front();
    transfer.from = project.transfer.galleryA.front();
    transfer.attribute = Domain::A;
    TransferStep removal;
    removal.kind = TransferStep::Kind::Removal;
    removal.onto = project.transfer.galleryA.front();
    project.transfer.history = {transfer, removal};
    project.sliders.image = transfer.onto;
    project.sliders.second = transfer.from;
    project.sliders.values[atelier::ui::SliderState::Toward] = 0.35;

    const QString file = dir.filePath(QStringLiteral("walks.atelier"));
    QString error;
    QVERIFY2(project.write(file, &error), qPrintable(error));

    QFile text(file);
    QVERIFY(text.open(QIODevice::ReadOnly));
    const QJsonObject json = QJsonDocument::fromJson(text.readAll()).object();
    QCOMPARE(json.value(QStringLiteral("version")).toInt(), Project::kFormatVersion);
    const QJsonArray media = json.value(QStringLiteral("media")).toArray();
    QCOMPARE(media.size(), 3);
    QCOMPARE(media[0].toObject().value(QStringLiteral("path")).toString(),
             QStringLiteral("media/a.png"));
    QCOMPARE(media[1].toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("video"));
    QVERIFY(media[2]
                .toObject()
                .value(QStringLiteral("path"))
                .toString()
                .startsWith(QStringLiteral("../")));

    const std::optional<Project> loaded = Project::read(file, &error);
    QVERIFY2(loaded.has_value(), qPrintable(error));
    QCOMPARE(loaded->name, project.name);
    QCOMPARE(loaded->media, project.media);
    QCOMPARE(loaded->workspaces, project.workspaces);
    QCOMPARE(loaded->settings, project.settings);
    QVERIFY(loaded->transfer == project.transfer);
    QVERIFY(loaded->sliders == project.sliders);
  }

  void oneshotAndRobustnessStatesRoundTrip() {
    QTemporaryDir dir;
    Project project;
    project.oneshot.bFolder = dir.filePath(QStringLiteral("digits/b"));
    project.oneshot.base = dir.filePath(QStringLiteral("models/b.atl"));
    project.oneshot.picture = dir.filePath(QStringLiteral("media/seven.png"));
    project.oneshot.model = dir.filePath(QStringLiteral("models/seven_to_b.atl"));
    project.robustness.dataset = QStringLiteral("mnist");
    project.robustness.preset = QStringLiteral("tiny");
    project.robustness.p = 0.25;
    project.robustness.seeds = 2;
    project.robustness.report = QJsonObject{
        {QStringLiteral("dataset"), QStringLiteral("mnist")},
        {QStringLiteral("baseline"),
         QJsonObject{{QStringLiteral("clean_accuracy"),
                      QJsonObject{{QStringLiteral("mean"), 0.9}, {QStringLiteral("std"), 0.01}}}}}};
    const QString file = dir.filePath(QStringLiteral("p.atelier"));
    QString error;
    QVERIFY2(project.write(file, &error), qPrintable(error));

    // Paths are stored relative to the project, like the other workspaces' paths.
    QFile text(file);
    QVERIFY(text.open(QIODevice::ReadOnly));
    const QJsonObject json = QJsonDocument::fromJson(text.readAll()).object();
    QJsonObject oneshot, robustness;
    for (const QJsonValue& w : json.value(QStringLiteral("workspaces")).toArray()) {
      const QString id = w.toObject().value(QStringLiteral("id")).toString();
      if (id == QLatin1String(OneshotState::kWorkspaceId)) oneshot = w.toObject();
      if (id == QLatin1String(RobustnessState::kWorkspaceId)) robustness = w.toObject();
    }
    QCOMPARE(oneshot.value(QStringLiteral("b_folder")).toString(), QStringLiteral("digits/b"));
    QCOMPARE(oneshot.value(QStringLiteral("model")).toString(),
             QStringLiteral("models/seven_to_b.atl"));
    QCOMPARE(robustness.value(QStringLiteral("seeds")).toInt(), 2);

    const std::optional<Project> loaded = Project::read(file, &error);
    QVERIFY2(loaded.has_value(), qPrintable(error));
    QVERIFY(loaded->oneshot == project.oneshot);
    QVERIFY(loaded->robustness == project.robustness);
    QVERIFY(loaded->workspaces.isEmpty());  // both read into their structs, not kept raw
    // A project without them gets the defaults.
    const std::optional<Project> bare =
        Project::fromJson(QJsonObject{{QStringLiteral("format"), QStringLiteral("atelier-project")},
                                      {QStringLiteral("version"), 1}},
                          dir.path(), &error);
    QVERIFY(bare.has_value());
    QVERIFY(bare->oneshot == OneshotState{});
    QVERIFY(bare->robustness == RobustnessState{});
  }

  void aBadTransferHistoryEntryNamesTheFile() {
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("bad.atelier"));
    QFile out(file);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(R"({"format": "atelier-project", "version": 1, "media": [],
                 "workspaces": [{"id": "attribute-transfer", "a": [], "b": [],
                                 "history": [{"kind": "transfer", "onto": "x.png"}]}]})");
    out.close();
    QString error;
    QVERIFY(!Project::read(file, &error).has_value());
    QVERIFY2(error.contains(QStringLiteral("bad.atelier")) &&
                 error.contains(QStringLiteral("history entry 0")),
             qPrintable(error));
  }

  void movedFolderFindsItsMedia() {
    QTemporaryDir root;
    const QString before = root.filePath(QStringLiteral("before"));
    const QString after = root.filePath(QStringLiteral("after"));
    QVERIFY(QDir().mkpath(before));
    Project project;
    project.media = {{before + QStringLiteral("/media/cat.png"), MediaKind::Image}};
    QString error;
    QVERIFY2(project.write(before + QStringLiteral("/p.atelier"), &error), qPrintable(error));
    QVERIFY(QDir().rename(before, after));
    const std::optional<Project> loaded =
        Project::read(after + QStringLiteral("/p.atelier"), &error);
    QVERIFY2(loaded.has_value(), qPrintable(error));
    QCOMPARE(loaded->media.front().path, after + QStringLiteral("/media/cat.png"));
    QCOMPARE(loaded->name, QStringLiteral("p"));  // no name stored: the file's name
  }

  void errorsNameTheFile() {
    QTemporaryDir dir;
    QString error;
    QVERIFY(!Project::read(dir.filePath(QStringLiteral("missing.atelier")), &error));
    QVERIFY2(error.contains(QStringLiteral("missing.atelier")), qPrintable(error));

    error = errorFor(dir, "{ \"format\": \"atelier-project\", ");
    QVERIFY2(error.contains(QStringLiteral("broken.atelier")) && error.contains("invalid JSON"),
             qPrintable(error));
    error = errorFor(dir, "[1, 2]");
    QVERIFY2(error.contains(QStringLiteral("not an Atelier project")), qPrintable(error));
    error = errorFor(dir, "{ \"name\": \"x\" }");
    QVERIFY2(error.contains(QStringLiteral("not an Atelier project")), qPrintable(error));
    error = errorFor(dir, "{ \"format\": \"atelier-project\", \"version\": 99 }");
    QVERIFY2(error.contains(QStringLiteral("newer")), qPrintable(error));
    error = errorFor(dir,
                     "{ \"format\": \"atelier-project\", \"version\": 1, "
                     "\"media\": [ { \"path\": \"a.png\", \"kind\": \"sound\" } ] }");
    QVERIFY2(error.contains(QStringLiteral("a.png")) && error.contains(QStringLiteral("sound")),
             qPrintable(error));
    error = errorFor(dir,
                     "{ \"format\": \"atelier-project\", \"version\": 1, "
                     "\"media\": [ { \"kind\": \"image\" } ] }");
    QVERIFY2(error.contains(QStringLiteral("no \"path\"")), qPrintable(error));
  }

  void writeFailureNamesTheFile() {
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("no/such/folder/p.atelier"));
    QString error;
    QVERIFY(!Project().write(file, &error));
    QVERIFY2(error.contains(QStringLiteral("p.atelier")), qPrintable(error));
  }

  // A save killed (SIGKILL) at random moments, a hundred times: the file on disk is always a whole
  // project, the previous one or the new one, and no temporary file stays beside it.
  void aSaveKilledAtRandomMomentsLeavesAWholeProjectAndNoTemporaryFile() {
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("walks.atelier"));
    Project project;  // about 2 MB of JSON, so that kills land inside writes
    for (int i = 0; i < 20000; ++i)
      project.media.append(
          {dir.filePath(QStringLiteral("media/picture-%1.png").arg(i)), MediaKind::Image});
    QString error;
    QVERIFY2(project.write(file, &error), qPrintable(error));
    std::mt19937 random(11);
    for (int round = 0; round < 100; ++round) {
      const pid_t child = ::fork();
      QVERIFY(child >= 0);
      if (child == 0) {
        for (int version = 0;; ++version) {
          project.name = QStringLiteral("version %1").arg(version);
          project.write(file, &error);
        }
      }
      ::usleep(std::uniform_int_distribution<int>(0, 40000)(random));
      ::kill(child, SIGKILL);
      ::waitpid(child, nullptr, 0);
      const std::optional<Project> read = Project::read(file, &error);
      QVERIFY2(read, qPrintable(QStringLiteral("round %1: %2").arg(round).arg(error)));
      QCOMPARE(read->media.size(), project.media.size());
    }
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
             QStringList{QStringLiteral("walks.atelier")});
  }

  void demoProjectIsComplete() {
    QString error;
    const std::optional<Project> demo = Project::read(atelier::ui::test::demoProjectFile(), &error);
    QVERIFY2(demo.has_value(), qPrintable(error));
    QCOMPARE(demo->name, QStringLiteral("Demo"));
    QVERIFY(demo->media.size() >= 5);
    int videos = 0;
    for (const MediaItem& item : demo->media) {
      QVERIFY2(QFile::exists(item.path), qPrintable(item.path));
      MediaKind byName;
      QVERIFY(atelier::ui::mediaKindForFile(item.path, &byName));
      QCOMPARE(byName, item.kind);
      videos += item.kind == MediaKind::Video;
    }
    QCOMPARE(videos, 1);
    QVERIFY(QFile::exists(atelier::ui::test::demoDir() + QStringLiteral("/LICENSES.md")));
  }
};

QTEST_GUILESS_MAIN(ProjectTest)
#include "project_test.moc"
