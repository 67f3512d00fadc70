#include "autosave.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUndoStack>
#include <algorithm>

#include "document.h"

namespace atelier::ui {
namespace {

constexpr const char* kFormat = "atelier-recovery";

QString lockFileOf(const QString& jsonFile) {
  return jsonFile.chopped(int(qstrlen(".json"))) + QStringLiteral(".lock");
}

// Locks are held for a whole session: only a dead owner makes one stale, never its age.
std::unique_ptr<QLockFile> sessionLock(const QString& path) {
  auto lock = std::make_unique<QLockFile>(path);
  lock->setStaleLockTime(0);
  return lock;
}

}  // namespace

Autosave::Autosave(QString folder, QObject* parent) : QObject(parent), folder_(std::move(folder)) {
  base_ = QDir(folder_).filePath(QStringLiteral("session-%1-%2")
                                     .arg(QCoreApplication::applicationPid())
                                     .arg(QDateTime::currentMSecsSinceEpoch()));
  timer_.setSingleShot(true);
  timer_.setInterval(kDefaultDelayMs);
  connect(&timer_, &QTimer::timeout, this, [this] {
    QString error;
    if (!writeNow(&error)) Q_EMIT failed(error);
  });
}

Autosave::~Autosave() {
  removeFile();
}

QString Autosave::defaultFolder() {
  const QString fromEnvironment = qEnvironmentVariable("ATELIER_RECOVERY_DIR");
  if (!fromEnvironment.isEmpty()) return fromEnvironment;
  return QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation))
      .filePath(QStringLiteral("recovery"));
}

void Autosave::setDocument(Document* document) {
  if (document_) disconnect(document_->undoStack(), nullptr, this, nullptr);
  timer_.stop();
  removeFile();
  document_ = document;
  if (!document_) return;
  connect(document_->undoStack(), &QUndoStack::indexChanged, this, &Autosave::documentChanged);
  connect(document_->undoStack(), &QUndoStack::cleanChanged, this, &Autosave::documentChanged);
  documentChanged();  // a recovered document starts out modified
}

void Autosave::setDelay(int milliseconds) {
  timer_.setInterval(std::max(0, milliseconds));
}

QString Autosave::file() const {
  return base_ + QStringLiteral(".json");
}

void Autosave::documentChanged() {
  if (document_ && document_->isModified()) {
    timer_.start();
  } else {
    timer_.stop();
    removeFile();
  }
}

bool Autosave::writeNow(QString* error) {
  if (!document_ || !document_->isModified()) return true;
  const auto fail = [&](const QString& why) {
    if (error) *error = tr("Cannot autosave the project into %1: %2").arg(folder_, why);
    return false;
  };
  if (!QDir().mkpath(folder_)) return fail(tr("the folder cannot be made"));
  if (!lock_) {
    auto lock = sessionLock(base_ + QStringLiteral(".lock"));
    if (!lock->tryLock(0)) return fail(tr("its lock file cannot be made"));
    lock_ = std::move(lock);
  }
  const QString directory = document_->directory();
  const QJsonObject json{
      {QStringLiteral("format"), QLatin1String(kFormat)},
      {QStringLiteral("version"), 1},
      {QStringLiteral("project_file"), document_->fileName()},
      {QStringLiteral("directory"), directory},
      {QStringLiteral("name"), document_->displayName()},
      {QStringLiteral("saved_at"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
      {QStringLiteral("project"), document_->project().toJson(directory)}};
  QSaveFile out(file());
  if (!out.open(QIODevice::WriteOnly) ||
      out.write(QJsonDocument(json).toJson(QJsonDocument::Compact)) < 0 || !out.commit()) {
    return fail(out.errorString());
  }
  return true;
}

void Autosave::removeFile() {
  QFile::remove(file());
  if (lock_) lock_->unlock();  // removes the lock file
  lock_.reset();
}

QList<Autosave::Entry> Autosave::orphans(const QString& folder) {
  QList<Entry> entries;
  const QFileInfoList files =
      QDir(folder).entryInfoList({QStringLiteral("session-*.json")}, QDir::Files);
  for (const QFileInfo& info : files) {
    // A lock that can be taken belongs to nobody alive (or was never made).
    const auto lock = sessionLock(lockFileOf(info.filePath()));
    if (!lock->tryLock(0)) continue;
    lock->unlock();
    QFile in(info.filePath());
    if (!in.open(QIODevice::ReadOnly)) continue;
    const QJsonObject json = QJsonDocument::fromJson(in.readAll()).object();
    if (json.value(QStringLiteral("format")).toString() != QLatin1String(kFormat)) continue;
    Entry entry;
    entry.file = info.filePath();
    entry.projectFile = json.value(QStringLiteral("project_file")).toString();
    entry.name = json.value(QStringLiteral("name")).toString();
    entry.savedAt =
        QDateTime::fromString(json.value(QStringLiteral("saved_at")).toString(), Qt::ISODateWithMs);
    entry.directory = json.value(QStringLiteral("directory")).toString();
    entry.project = json.value(QStringLiteral("project")).toObject();
    entries.append(entry);
  }
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.savedAt > b.savedAt; });
  return entries;
}

std::unique_ptr<Document> Autosave::recover(const Entry& entry, QString* error) {
  QString problem;
  std::optional<Project> project = Project::fromJson(entry.project, entry.directory, &problem);
  if (!project) {
    *error = tr("The recovery file %1 is damaged: %2").arg(entry.file, problem);
    return nullptr;
  }
  auto document = std::make_unique<Document>(std::move(*project), entry.projectFile);
  document->undoStack()->resetClean();  // unsaved until the person saves it
  return document;
}

void Autosave::discard(const Entry& entry) {
  QFile::remove(entry.file);
  QFile::remove(lockFileOf(entry.file));
}

}  // namespace atelier::ui
