// document.h — an open project: its state, its file and its undo history.
//
// Every change to the project goes through a command pushed on the document's QUndoStack; the
// commands call the low-level edit functions below, which emit the change signals that models and
// views follow.
#pragma once

#include <QObject>
#include <QStringList>
#include <QUndoStack>
#include <memory>

#include "project.h"

namespace atelier::ui {

class Document : public QObject {
  Q_OBJECT

 public:
  // A new, unsaved, empty project.
  explicit Document(QObject* parent = nullptr);
  Document(Project project, QString fileName, QObject* parent = nullptr);
  ~Document() override;

  // Opens a project file; nullptr and *error (naming the file) on failure.
  static std::unique_ptr<Document> open(const QString& fileName, QString* error);

  // Writes the project (to a new name for "Save As"); marks the undo stack clean on success.
  bool save(const QString& fileName, QString* error);

  const Project& project() const { return project_; }
  QString fileName() const { return fileName_; }  // empty while never saved
  QString displayName() const;                    // project name, else file name, else "Untitled"
  QString directory() const;                      // the folder relative paths are resolved from
  QUndoStack* undoStack() { return &undoStack_; }
  bool isModified() const { return !undoStack_.isClean(); }

  int mediaCount() const { return project_.media.size(); }
  const MediaItem& media(int index) const { return project_.media.at(index); }

  // Imports readable pictures and videos as one undoable step. Files the engine cannot read and
  // files already in the project are skipped and listed in *skipped. Returns how many were added.
  int importMedia(const QStringList& files, QStringList* skipped = nullptr);

  const TransferState& transfer() const { return project_.transfer; }
  const SliderState& sliders() const { return project_.sliders; }
  const SingleImageState& singleImage() const { return project_.singleImage; }
  const OneshotState& oneshot() const { return project_.oneshot; }
  const RobustnessState& robustness() const { return project_.robustness; }

  // Low-level edits for undo commands; each emits the matching signals.
  void insertMedia(int index, const MediaList& items);
  void removeMedia(int index, int count);
  void setGallery(Domain domain, const QStringList& paths);
  void setTransferModel(const QString& path);
  void insertTransferStep(int index, const TransferStep& step);
  void removeTransferStep(int index);
  void setSliderValue(SliderState::Field field, double value);
  void setSliderImages(const QString& image, const QString& second);
  void setSingleImage(const SingleImageState& state);
  void setOneshot(const OneshotState& state);
  void setRobustness(const RobustnessState& state);

 Q_SIGNALS:
  void mediaAboutToBeInserted(int first, int last);
  void mediaInserted(int first, int last);
  void mediaAboutToBeRemoved(int first, int last);
  void mediaRemoved(int first, int last);
  void galleryChanged(atelier::ui::Domain domain);
  void transferModelChanged(const QString& path);
  void transferHistoryChanged();
  void slidersChanged();
  void singleImageChanged();
  void oneshotChanged();
  void robustnessChanged();
  void fileNameChanged(const QString& fileName);
  void modifiedChanged(bool modified);

 private:
  Project project_;
  QString fileName_;
  QUndoStack undoStack_;
};

}  // namespace atelier::ui
