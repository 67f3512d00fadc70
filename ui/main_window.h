// main_window.h — the studio's main window: menus, the media list, the viewer, the status bar.
#pragma once

#include <QMainWindow>
#include <QStringList>
#include <memory>

class QAction;
class QDockWidget;
class QLabel;
class QListView;
class QMenu;
class QUndoGroup;

namespace atelier::ui {

class Document;
class MediaListModel;
class MediaView;
class ThumbnailLoader;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Replaces the current project (after asking to save it) by the one in `fileName`. On failure
  // the current project stays and an error message (naming the file) is shown.
  bool openProject(const QString& fileName);
  void newProject();
  bool saveProject();
  bool saveProjectAs();
  // Imports files, and the readable files directly inside folders, as one undoable step.
  int importFiles(const QStringList& paths);

  Document* document() const { return document_.get(); }
  MediaListModel* mediaModel() const { return mediaModel_; }
  QListView* mediaList() const { return mediaList_; }
  MediaView* mediaView() const { return mediaView_; }
  ThumbnailLoader* thumbnailLoader() const { return thumbnailLoader_; }
  void selectMedia(int row);

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
  QAction* aboutAction_;
};

}  // namespace atelier::ui
