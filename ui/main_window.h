// main_window.h — the studio's main window: menus, the media list, the viewer, the status bar.
#pragma once

#include <QMainWindow>
#include <QStringList>
#include <memory>

#include "autosave.h"

class QAction;
class QDockWidget;
class QLabel;
class QListView;
class QListWidget;
class QMenu;
class QStackedWidget;
class QUndoGroup;

namespace atelier::ui {

class AttributeTransferPage;
class Document;
class JobRunner;
class MediaListModel;
class OneshotPage;
class RobustnessPage;
class SingleImagePage;
class SlidersPage;
class MediaView;
class ThumbnailLoader;
class TrainingPanel;
class VideoVariationsPage;
struct StudioSettings;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Replaces the current project (after asking to save it) by the one in `fileName`. On failure
  // the current project stays and an error message (naming the file) is shown.
  bool openProject(const QString& fileName);
  // A model file (.atl) opens in the workspace of its method (single image, attribute transfer,
  // one-shot); anything else is taken for a project. What a double click in a file manager does.
  bool openFile(const QString& fileName);
  bool openModel(const QString& fileName);
  void newProject();
  bool saveProject();
  bool saveProjectAs();
  // Asks, for each project a studio that did not end cleanly left unsaved (newest first), whether
  // to recover it, discard it or keep it for later; stops after one is recovered.
  void offerRecovery();
  // Makes an orphaned recovery file the open project (after asking to save the current one).
  bool recoverProject(const Autosave::Entry& entry);
  Autosave* autosave() const { return autosave_; }
  // Imports files, and the readable files directly inside folders, as one undoable step.
  int importFiles(const QStringList& paths);

  Document* document() const { return document_.get(); }
  MediaListModel* mediaModel() const { return mediaModel_; }
  QListView* mediaList() const { return mediaList_; }
  MediaView* mediaView() const { return mediaView_; }
  ThumbnailLoader* thumbnailLoader() const { return thumbnailLoader_; }
  void selectMedia(int row);

  // Workspaces, by id: "media", "attribute-transfer", "latent-sliders",
  // "single-image", "video-variations", "oneshot", "robustness".
  QStringList workspaceIds() const;
  bool showWorkspace(const QString& id);
  QString currentWorkspace() const;

  JobRunner* jobRunner() const { return jobRunner_; }
  TrainingPanel* trainingPanel() const { return trainingPanel_; }
  VideoVariationsPage* videoVariationsPage() const { return videoVariationsPage_; }
  AttributeTransferPage* attributeTransferPage() const { return attributeTransferPage_; }
  SlidersPage* slidersPage() const { return slidersPage_; }
  SingleImagePage* singleImagePage() const { return singleImagePage_; }
  OneshotPage* oneshotPage() const { return oneshotPage_; }
  RobustnessPage* robustnessPage() const { return robustnessPage_; }
  const StudioSettings& settings() const { return *settings_; }
  void applySettings(const StudioSettings& settings);  // and keep them (QSettings)

  // True when every thumbnail has arrived and the viewer is not decoding: a stable moment for
  // screenshots and tests.
  bool isSettled() const;

 Q_SIGNALS:
  void documentChanged(atelier::ui::Document* document);
  // Every error shown to the user (in a non-blocking message box), also for tests.
  void errorShown(const QString& message);

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void createActions();
  void createMenus();
  void createToolBar();
  void createDocks();
  void createWorkspaces();
  void addWorkspace(const QString& id, const QString& name, const QIcon& icon, QWidget* page);
  void showPreferences();
  void setDocument(std::unique_ptr<Document> document);
  bool maybeSave();
  bool saveTo(const QString& fileName);
  void updateWindowTitle();
  void updateRecentMenu();
  void updateStatus();
  void onCurrentMediaChanged();
  void clearViewer();  // with a hint on how to add media when the project has none
  void showError(const QString& title, const QString& message);
  void chooseProjectToOpen();
  void chooseFilesToImport();
  void showAbout();

  std::unique_ptr<Document> document_;
  QUndoGroup* undoGroup_;
  ThumbnailLoader* thumbnailLoader_;
  MediaListModel* mediaModel_;
  QListView* mediaList_;
  QDockWidget* mediaDock_;
  MediaView* mediaView_;
  JobRunner* jobRunner_;
  Autosave* autosave_;
  std::unique_ptr<StudioSettings> settings_;
  QListWidget* workspaceBar_;
  QStackedWidget* workspaces_;
  QStringList workspaceIds_;
  AttributeTransferPage* attributeTransferPage_;
  SlidersPage* slidersPage_;
  SingleImagePage* singleImagePage_;
  VideoVariationsPage* videoVariationsPage_;
  OneshotPage* oneshotPage_;
  RobustnessPage* robustnessPage_;
  TrainingPanel* trainingPanel_;
  QDockWidget* trainingDock_;
  QLabel* statusCount_;
  QLabel* statusMedia_;
  QMenu* recentMenu_ = nullptr;
  QString lastImportDir_;

  QAction* newAction_;
  QAction* openAction_;
  QAction* saveAction_;
  QAction* saveAsAction_;
  QAction* importAction_;
  QAction* quitAction_;
  QAction* undoAction_;
  QAction* redoAction_;
  QAction* preferencesAction_;
  QAction* aboutAction_;
};

}  // namespace atelier::ui
