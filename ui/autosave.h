// autosave.h — crash recovery. A moment after each change, the open project's unsaved state is
// written into the studio's recovery folder; saving the project, or closing it cleanly, removes
// that file. A file left there by a studio that did not end cleanly (a crash, a kill, a power
// cut) is offered back the next time the studio starts.
//
// Each studio process holds a lock file next to its recovery file (QLockFile), so a recovery file
// whose lock is stale belongs to a process that is gone, and one of a studio still running is
// never offered.
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <memory>

class QLockFile;

namespace atelier::ui {

class Document;

class Autosave : public QObject {
  Q_OBJECT

 public:
  // A recovery file left by a studio that is gone.
  struct Entry {
    QString file;         // the recovery file
    QString projectFile;  // the project it belongs to; empty for a project never saved
    QString name;         // the project's display name
    QDateTime savedAt;    // when it was written
    QString directory;    // the folder the project's relative paths are resolved from
    QJsonObject project;  // the project as it was written (Project::toJson)
  };

  static constexpr int kDefaultDelayMs = 2000;

  // `folder`: where recovery files go (default: defaultFolder()).
  explicit Autosave(QString folder = defaultFolder(), QObject* parent = nullptr);
  ~Autosave() override;  // the end of a clean session: its recovery file goes

  // $ATELIER_RECOVERY_DIR if set, else <application data>/recovery.
  static QString defaultFolder();

  // Follows `document` (nullptr: none). A document with no unsaved change has no recovery file.
  void setDocument(Document* document);
  void setDelay(int milliseconds);

  QString folder() const { return folder_; }
  // This session's recovery file (it exists only while the document has unsaved changes).
  QString file() const;
  // Writes the unsaved state now (nothing when there is none). False and *error on failure.
  bool writeNow(QString* error = nullptr);

  // Recovery files of studios that are gone, newest first. Unreadable ones are skipped.
  static QList<Entry> orphans(const QString& folder = defaultFolder());
  // The project of an orphan as a document: its own file name (so Save writes the project the
  // person was working on), marked as modified. nullptr and *error when it is damaged.
  static std::unique_ptr<Document> recover(const Entry& entry, QString* error);
  // Removes an orphan's files.
  static void discard(const Entry& entry);

 Q_SIGNALS:
  void failed(const QString& error);

 private:
  void documentChanged();
  void removeFile();

  QString folder_;
  QString base_;  // folder_/session-<pid>-<time>: .json and .lock
  std::unique_ptr<QLockFile> lock_;
  QPointer<Document> document_;
  QTimer timer_;
};

}  // namespace atelier::ui
