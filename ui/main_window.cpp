#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QListView>
#include <QListWidget>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>
#include <QUndoGroup>

#include "app_resources.h"
#include "atelier/model_file.h"
#include "atelier/version.h"
#include "attribute_transfer_page.h"
#include "document.h"
#include "job_runner.h"
#include "media_list_model.h"
#include "media_view.h"
#include "oneshot_page.h"
#include "oneshot_state.h"
#include "recent_projects.h"
#include "robustness_page.h"
#include "settings_dialog.h"
#include "single_image_page.h"
#include "single_image_state.h"
#include "sliders_page.h"
#include "studio_settings.h"
#include "thumbnail_loader.h"
#include "training_panel.h"
#include "transfer_state.h"
#include "video_variations_page.h"

namespace atelier::ui {

namespace {

// A themed icon where the desktop has one, else the style's built-in one.
QIcon themedIcon(const char* name, QStyle::StandardPixmap fallback) {
  return QIcon::fromTheme(QLatin1String(name), QApplication::style()->standardIcon(fallback));
}

bool isProjectFile(const QString& path) {
  return QFileInfo(path).suffix().compare(QLatin1String(Project::kFileSuffix),
                                          Qt::CaseInsensitive) == 0;
}

// The workspaces that train models, each with its methods (Preferences' presets, openModel).
QList<SettingsDialog::PresetWorkspace> trainingWorkspaces() {
  return {
      {QString::fromLatin1(TransferState::kWorkspaceId),
       MainWindow::tr("attribute transfer"),
       {QStringLiteral("disentangle"), QStringLiteral("masktransfer")}},
      {QString::fromLatin1(SingleImageState::kWorkspaceId),
       MainWindow::tr("single image"),
       {QStringLiteral("singan"), QStringLiteral("analogy")}},
      {QString::fromLatin1(VideoVariationsPage::kWorkspaceId),
       MainWindow::tr("video variations"),
       {QStringLiteral("videogen")}},
      {QString::fromLatin1(OneshotState::kWorkspaceId),
       MainWindow::tr("one-shot translation"),
       {QStringLiteral("oneshot")}},
  };
}

bool isModelFile(const QString& path) {
  return QFileInfo(path).suffix().compare(QLatin1String("atl"), Qt::CaseInsensitive) == 0;
}

// Local files and folders that a drop carries.
QStringList localPaths(const QMimeData* mime) {
  QStringList paths;
  if (!mime->hasUrls()) return paths;
  for (const QUrl& url : mime->urls()) {
    if (url.isLocalFile()) paths.append(url.toLocalFile());
  }
  return paths;
}

bool canImport(const QString& path) {
  MediaKind kind;
  return QFileInfo(path).isDir() || mediaKindForFile(path, &kind);
}

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      undoGroup_(new QUndoGroup(this)),
      thumbnailLoader_(new ThumbnailLoader(192, this)),
      mediaModel_(new MediaListModel(thumbnailLoader_, this)),
      mediaList_(new QListView),
      mediaDock_(new QDockWidget(tr("Media"), this)),
      mediaView_(new MediaView),
      jobRunner_(new JobRunner(this)),
      autosave_(new Autosave(Autosave::defaultFolder(), this)),
      settings_(std::make_unique<StudioSettings>(StudioSettings::load())),
      workspaceBar_(new QListWidget),
      workspaces_(new QStackedWidget),
      attributeTransferPage_(new AttributeTransferPage(jobRunner_, thumbnailLoader_)),
      slidersPage_(new SlidersPage),
      singleImagePage_(new SingleImagePage(jobRunner_)),
      videoVariationsPage_(new VideoVariationsPage(jobRunner_)),
      oneshotPage_(new OneshotPage(jobRunner_)),
      robustnessPage_(new RobustnessPage(jobRunner_)),
      trainingPanel_(new TrainingPanel),
      trainingDock_(new QDockWidget(tr("Training"), this)),
      statusCount_(new QLabel),
      statusMedia_(new QLabel) {
  initAppResources();
  setWindowIcon(QIcon(QStringLiteral(":/icons/atelier.png")));
  setAcceptDrops(true);

  createWorkspaces();
  createActions();
  createMenus();
  createToolBar();
  createDocks();
  applySettings(*settings_);
  statusBar()->addPermanentWidget(statusMedia_);
  statusBar()->addPermanentWidget(statusCount_);

  connect(autosave_, &Autosave::failed, this,
          [this](const QString& error) { statusBar()->showMessage(error, 8000); });
  connect(mediaView_, &MediaView::loaded, this, &MainWindow::updateStatus);
  connect(mediaView_, &MediaView::loadFailed, this,
          [this](const QString&, const QString& error) { statusBar()->showMessage(error, 8000); });

  resize(1200, 760);
  setDocument(std::make_unique<Document>());
}

MainWindow::~MainWindow() {
  // A running job stops at its next step (its model is kept) and its thread ends. The runner
  // itself stays until the pages, which ask it whether a job runs, have let go of the document.
  jobRunner_->shutDown();
  autosave_->setDocument(nullptr);  // a clean end: no recovery file stays
  // The model and the pages must let go of the document before it dies.
  mediaModel_->setDocument(nullptr);
  videoVariationsPage_->setDocument(nullptr);
  attributeTransferPage_->setDocument(nullptr);
  slidersPage_->setDocument(nullptr);
  singleImagePage_->setDocument(nullptr);
  oneshotPage_->setDocument(nullptr);
  robustnessPage_->setDocument(nullptr);
  delete jobRunner_;
}

void MainWindow::createWorkspaces() {
  workspaceBar_->setObjectName(QStringLiteral("workspaceBar"));
  workspaceBar_->setViewMode(QListView::IconMode);
  workspaceBar_->setFlow(QListView::TopToBottom);
  workspaceBar_->setMovement(QListView::Static);
  workspaceBar_->setIconSize(QSize(40, 40));
  workspaceBar_->setGridSize(QSize(112, 76));
  workspaceBar_->setFixedWidth(118);
  workspaceBar_->setWordWrap(true);
  workspaceBar_->setSpacing(2);
  addWorkspace(QStringLiteral("media"), tr("Media"),
               QApplication::style()->standardIcon(QStyle::SP_DirIcon), mediaView_);
  addWorkspace(QString::fromLatin1(TransferState::kWorkspaceId), tr("Attribute transfer"),
               QApplication::style()->standardIcon(QStyle::SP_ArrowRight), attributeTransferPage_);
  addWorkspace(QString::fromLatin1(SliderState::kWorkspaceId), tr("Latent sliders"),
               QApplication::style()->standardIcon(QStyle::SP_FileDialogDetailedView),
               slidersPage_);
  addWorkspace(QString::fromLatin1(SingleImageState::kWorkspaceId), tr("Single image & analogy"),
               QApplication::style()->standardIcon(QStyle::SP_FileDialogInfoView),
               singleImagePage_);
  addWorkspace(QString::fromLatin1(VideoVariationsPage::kWorkspaceId), tr("Video variations"),
               QApplication::style()->standardIcon(QStyle::SP_MediaPlay), videoVariationsPage_);
  addWorkspace(QString::fromLatin1(OneshotState::kWorkspaceId), tr("One-shot translation"),
               QApplication::style()->standardIcon(QStyle::SP_MediaSeekForward), oneshotPage_);
  addWorkspace(QString::fromLatin1(RobustnessState::kWorkspaceId), tr("Robustness report"),
               QApplication::style()->standardIcon(QStyle::SP_FileDialogContentsView),
               robustnessPage_);
  connect(workspaceBar_, &QListWidget::currentRowChanged, workspaces_,
          &QStackedWidget::setCurrentIndex);
  workspaceBar_->setCurrentRow(0);

  auto* central = new QWidget;
  auto* layout = new QHBoxLayout(central);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(workspaceBar_);
  layout->addWidget(workspaces_, 1);
  setCentralWidget(central);

  connect(videoVariationsPage_, &VideoVariationsPage::errorOccurred, this,
          [this](const QString& message) { showError(tr("Video variations"), message); });
  connect(attributeTransferPage_, &AttributeTransferPage::errorOccurred, this,
          [this](const QString& message) { showError(tr("Attribute transfer"), message); });
  connect(singleImagePage_, &SingleImagePage::errorOccurred, this,
          [this](const QString& message) { showError(tr("Single image & analogy"), message); });
  connect(oneshotPage_, &OneshotPage::errorOccurred, this,
          [this](const QString& message) { showError(tr("One-shot translation"), message); });
  connect(robustnessPage_, &RobustnessPage::errorOccurred, this,
          [this](const QString& message) { showError(tr("Robustness report"), message); });
  connect(slidersPage_, &SlidersPage::errorOccurred, this,
          [this](const QString& message) { showError(tr("Latent sliders"), message); });
  // The sliders render with the model the transfer workspace trained or loaded.
  connect(attributeTransferPage_, &AttributeTransferPage::modelChanged, this,
          [this] { slidersPage_->setModel(attributeTransferPage_->model()); });
  connect(jobRunner_, &JobRunner::started, this, [this] { trainingDock_->show(); });
}

void MainWindow::addWorkspace(const QString& id, const QString& name, const QIcon& icon,
                              QWidget* page) {
  auto* item = new QListWidgetItem(icon, name, workspaceBar_);
  item->setTextAlignment(Qt::AlignHCenter | Qt::AlignBottom);
  item->setData(Qt::UserRole, id);
  workspaces_->addWidget(page);
  workspaceIds_.append(id);
}

QStringList MainWindow::workspaceIds() const {
  return workspaceIds_;
}

bool MainWindow::showWorkspace(const QString& id) {
  const int index = workspaceIds_.indexOf(id);
  if (index < 0) return false;
  workspaceBar_->setCurrentRow(index);
  return true;
}

QString MainWindow::currentWorkspace() const {
  return workspaceIds_.value(workspaces_->currentIndex());
}

void MainWindow::applySettings(const StudioSettings& settings) {
  *settings_ = settings;
  settings_->save();
  videoVariationsPage_->setSettings(settings);
  attributeTransferPage_->setSettings(settings);
  singleImagePage_->setSettings(settings);
  oneshotPage_->setSettings(settings);
  robustnessPage_->setSettings(settings);
}

void MainWindow::showPreferences() {
  const QList<SettingsDialog::PresetWorkspace> trained = trainingWorkspaces();
  auto* dialog = new SettingsDialog(*settings_, trained, this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &QDialog::accepted, this, [this, dialog] { applySettings(dialog->settings()); });
  dialog->open();
}

void MainWindow::createActions() {
  newAction_ =
      new QAction(themedIcon("document-new", QStyle::SP_FileIcon), tr("&New Project"), this);
  newAction_->setShortcut(QKeySequence::New);
  connect(newAction_, &QAction::triggered, this, &MainWindow::newProject);

  openAction_ = new QAction(themedIcon("document-open", QStyle::SP_DialogOpenButton),
                            tr("&Open Project…"), this);
  openAction_->setShortcut(QKeySequence::Open);
  connect(openAction_, &QAction::triggered, this, &MainWindow::chooseProjectToOpen);

  saveAction_ =
      new QAction(themedIcon("document-save", QStyle::SP_DialogSaveButton), tr("&Save"), this);
  saveAction_->setShortcut(QKeySequence::Save);
  connect(saveAction_, &QAction::triggered, this, &MainWindow::saveProject);

  saveAsAction_ = new QAction(themedIcon("document-save-as", QStyle::SP_DialogSaveButton),
                              tr("Save &As…"), this);
  saveAsAction_->setShortcut(QKeySequence::SaveAs);
  connect(saveAsAction_, &QAction::triggered, this, &MainWindow::saveProjectAs);

  importAction_ =
      new QAction(QIcon(QStringLiteral(":/icons/import.png")), tr("&Import Media…"), this);
  importAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
  importAction_->setStatusTip(tr("Add pictures and videos to the project"));
  connect(importAction_, &QAction::triggered, this, &MainWindow::chooseFilesToImport);

  quitAction_ =
      new QAction(themedIcon("application-exit", QStyle::SP_DialogCloseButton), tr("&Quit"), this);
  quitAction_->setShortcut(QKeySequence::Quit);
  quitAction_->setMenuRole(QAction::QuitRole);
  connect(quitAction_, &QAction::triggered, this, &QWidget::close);

  undoAction_ = undoGroup_->createUndoAction(this, tr("&Undo"));
  undoAction_->setIcon(themedIcon("edit-undo", QStyle::SP_ArrowBack));
  undoAction_->setShortcuts(QKeySequence::Undo);
  redoAction_ = undoGroup_->createRedoAction(this, tr("&Redo"));
  redoAction_->setIcon(themedIcon("edit-redo", QStyle::SP_ArrowForward));
  redoAction_->setShortcuts(QKeySequence::Redo);

  preferencesAction_ = new QAction(tr("&Preferences…"), this);
  preferencesAction_->setShortcut(QKeySequence::Preferences);
  preferencesAction_->setMenuRole(QAction::PreferencesRole);
  connect(preferencesAction_, &QAction::triggered, this, &MainWindow::showPreferences);

  aboutAction_ =
      new QAction(QIcon(QStringLiteral(":/icons/atelier.png")), tr("&About Atelier"), this);
  aboutAction_->setMenuRole(QAction::AboutRole);
  connect(aboutAction_, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(newAction_);
  file->addAction(openAction_);
  recentMenu_ = file->addMenu(tr("Open &Recent"));
  connect(recentMenu_, &QMenu::aboutToShow, this, &MainWindow::updateRecentMenu);
  file->addSeparator();
  file->addAction(saveAction_);
  file->addAction(saveAsAction_);
  file->addSeparator();
  file->addAction(importAction_);
  file->addSeparator();
  file->addAction(quitAction_);

  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  edit->addAction(undoAction_);
  edit->addAction(redoAction_);
  edit->addSeparator();
  edit->addAction(preferencesAction_);

  QMenu* view = menuBar()->addMenu(tr("&View"));
  view->addAction(mediaDock_->toggleViewAction());
  view->addAction(trainingDock_->toggleViewAction());

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(aboutAction_);
  updateRecentMenu();
}

void MainWindow::createToolBar() {
  QToolBar* toolBar = addToolBar(tr("Main"));
  toolBar->setObjectName(QStringLiteral("mainToolBar"));
  toolBar->setMovable(false);
  toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  toolBar->addAction(newAction_);
  toolBar->addAction(openAction_);
  toolBar->addAction(saveAction_);
  toolBar->addSeparator();
  toolBar->addAction(importAction_);
  toolBar->addSeparator();
  toolBar->addAction(undoAction_);
  toolBar->addAction(redoAction_);
}

void MainWindow::createDocks() {
  mediaList_->setModel(mediaModel_);
  mediaList_->setViewMode(QListView::ListMode);
  mediaList_->setIconSize(QSize(96, 72));
  mediaList_->setUniformItemSizes(true);
  mediaList_->setSpacing(3);
  mediaList_->setTextElideMode(Qt::ElideMiddle);
  mediaList_->setSelectionMode(QAbstractItemView::SingleSelection);
  mediaList_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  mediaList_->setDragEnabled(true);  // into the transfer galleries
  mediaList_->setDragDropMode(QAbstractItemView::DragOnly);
  connect(mediaList_->selectionModel(), &QItemSelectionModel::currentChanged, this,
          &MainWindow::onCurrentMediaChanged);
  connect(mediaModel_, &QAbstractItemModel::rowsInserted, this,
          [this](const QModelIndex&, int first) {
            if (!mediaList_->currentIndex().isValid()) selectMedia(first);
            updateStatus();
          });
  connect(mediaModel_, &QAbstractItemModel::rowsRemoved, this, [this] {
    if (!mediaList_->currentIndex().isValid()) clearViewer();
    updateStatus();
  });

  mediaDock_->setObjectName(QStringLiteral("mediaDock"));
  mediaDock_->setWidget(mediaList_);
  mediaDock_->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
  mediaDock_->setMinimumWidth(240);
  addDockWidget(Qt::LeftDockWidgetArea, mediaDock_);
  resizeDocks({mediaDock_}, {300}, Qt::Horizontal);

  trainingPanel_->setRunner(jobRunner_);
  trainingDock_->setObjectName(QStringLiteral("trainingDock"));
  trainingDock_->setWidget(trainingPanel_);
  trainingDock_->setAllowedAreas(Qt::BottomDockWidgetArea | Qt::RightDockWidgetArea);
  addDockWidget(Qt::BottomDockWidgetArea, trainingDock_);
  resizeDocks({trainingDock_}, {260}, Qt::Vertical);
  trainingDock_->hide();  // until a job starts (View > Training shows it)
}

void MainWindow::setDocument(std::unique_ptr<Document> document) {
  std::unique_ptr<Document> old = std::move(document_);
  document_ = std::move(document);
  undoGroup_->addStack(document_->undoStack());
  undoGroup_->setActiveStack(document_->undoStack());
  connect(document_.get(), &Document::modifiedChanged, this, &MainWindow::updateWindowTitle);
  connect(document_.get(), &Document::fileNameChanged, this, &MainWindow::updateWindowTitle);
  mediaModel_->setDocument(document_.get());
  videoVariationsPage_->setDocument(document_.get());
  attributeTransferPage_->setDocument(document_.get());
  slidersPage_->setDocument(document_.get());
  singleImagePage_->setDocument(document_.get());
  oneshotPage_->setDocument(document_.get());
  robustnessPage_->setDocument(document_.get());
  autosave_->setDocument(document_.get());
  clearViewer();
  if (old) undoGroup_->removeStack(old->undoStack());
  old.reset();

  updateWindowTitle();
  updateStatus();
  if (document_->mediaCount() > 0) selectMedia(0);
  Q_EMIT documentChanged(document_.get());
}

void MainWindow::newProject() {
  if (!maybeSave()) return;
  setDocument(std::make_unique<Document>());
  statusBar()->showMessage(tr("New project"), 4000);
}

bool MainWindow::openProject(const QString& fileName) {
  if (!maybeSave()) return false;
  QString error;
  std::unique_ptr<Document> document = Document::open(fileName, &error);
  if (!document) {
    showError(tr("Cannot open project"), error);
    return false;
  }
  setDocument(std::move(document));
  RecentProjects::add(document_->fileName());
  statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(document_->fileName())),
                           6000);
  return true;
}

bool MainWindow::openFile(const QString& fileName) {
  return isModelFile(fileName) ? openModel(fileName) : openProject(fileName);
}

bool MainWindow::openModel(const QString& fileName) {
  std::string method;
  try {
    method = atelier::inspect_model(fileName.toStdString()).method;
  } catch (const std::exception& e) {
    showError(tr("Cannot open model"), QString::fromStdString(e.what()));
    return false;
  }
  QString workspace;  // the one that trains this method
  for (const SettingsDialog::PresetWorkspace& w : trainingWorkspaces())
    if (w.methods.contains(QString::fromStdString(method))) workspace = w.id;
  if (workspace == QLatin1String(SingleImageState::kWorkspaceId)) {
    showWorkspace(workspace);
    singleImagePage_->loadModelFile(fileName);
  } else if (workspace == QLatin1String(TransferState::kWorkspaceId)) {
    showWorkspace(workspace);
    attributeTransferPage_->loadModelFile(fileName);
  } else if (workspace == QLatin1String(OneshotState::kWorkspaceId)) {
    showWorkspace(workspace);
    if (!oneshotPage_->useModelFile(fileName)) return false;
  } else {
    const QString native = QDir::toNativeSeparators(fileName);
    showError(tr("Cannot open model"),
              tr("%1 is a %2 model, which the studio does not open: Video variations trains "
                 "its own from a video. Its samples: atelier-cli run \"%1\" sample --out "
                 "samples")
                  .arg(native, QString::fromStdString(method)));
    return false;
  }
  return true;
}

void MainWindow::offerRecovery() {
  for (const Autosave::Entry& entry : Autosave::orphans(autosave_->folder())) {
    QMessageBox box(
        QMessageBox::Warning, tr("Recover unsaved work?"),
        tr("Atelier did not close properly. The project \"%1\" had changes that were "
           "not saved; they were kept on %2.")
            .arg(entry.name, QLocale().toString(entry.savedAt.toLocalTime(), QLocale::ShortFormat)),
        QMessageBox::NoButton, this);
    box.setInformativeText(entry.projectFile.isEmpty()
                               ? tr("Recover opens them as a new project, which you can then save.")
                               : tr("Recover opens them; saving then writes %1.")
                                     .arg(QDir::toNativeSeparators(entry.projectFile)));
    QPushButton* recover = box.addButton(tr("Recover"), QMessageBox::AcceptRole);
    QPushButton* discard = box.addButton(tr("Discard"), QMessageBox::DestructiveRole);
    box.addButton(tr("Ask Later"), QMessageBox::RejectRole);
    box.setDefaultButton(recover);
    box.exec();
    if (box.clickedButton() == recover) {
      if (recoverProject(entry)) return;
    } else if (box.clickedButton() == discard) {
      Autosave::discard(entry);
    }
  }
}

bool MainWindow::recoverProject(const Autosave::Entry& entry) {
  if (!maybeSave()) return false;
  QString error;
  std::unique_ptr<Document> document = Autosave::recover(entry, &error);
  if (!document) {
    showError(tr("Cannot recover the project"), error);
    return false;
  }
  setDocument(std::move(document));
  Autosave::discard(entry);  // this session's own autosave holds it from now on
  statusBar()->showMessage(tr("Recovered the unsaved changes of %1").arg(entry.name), 8000);
  return true;
}

bool MainWindow::saveProject() {
  // A project never saved, or one in a read-only place (the installed demo), asks for a name.
  const QString fileName = document_->fileName();
  if (fileName.isEmpty() || !QFileInfo(QFileInfo(fileName).absolutePath()).isWritable()) {
    return saveProjectAs();
  }
  return saveTo(document_->fileName());
}

bool MainWindow::saveProjectAs() {
  const QString suggested =
      document_->fileName().isEmpty()
          ? QDir::home().filePath(document_->displayName() + QStringLiteral(".atelier"))
          : document_->fileName();
  QString fileName = QFileDialog::getSaveFileName(this, tr("Save Project As"), suggested,
                                                  tr("Atelier projects (*.atelier)"));
  if (fileName.isEmpty()) return false;
  if (!isProjectFile(fileName)) fileName += QStringLiteral(".atelier");
  return saveTo(fileName);
}

bool MainWindow::saveTo(const QString& fileName) {
  QString error;
  if (!document_->save(fileName, &error)) {
    showError(tr("Cannot save project"), error);
    return false;
  }
  RecentProjects::add(document_->fileName());
  statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(fileName)), 4000);
  return true;
}

int MainWindow::importFiles(const QStringList& paths) {
  QStringList files;
  for (const QString& path : paths) {
    const QFileInfo info(path);
    if (!info.isDir()) {
      files.append(path);
      continue;
    }
    const QFileInfoList entries =
        QDir(path).entryInfoList(QDir::Files | QDir::Readable, QDir::Name | QDir::IgnoreCase);
    for (const QFileInfo& entry : entries) {
      MediaKind kind;
      if (mediaKindForFile(entry.filePath(), &kind)) files.append(entry.filePath());
    }
  }
  const int firstNew = document_->mediaCount();
  QStringList skipped;
  const int added = document_->importMedia(files, &skipped);
  if (added > 0) selectMedia(firstNew);
  QString message = tr("Imported %n file(s)", nullptr, added);
  if (!skipped.isEmpty()) {
    message += tr("; skipped %n (already in the project or not a picture or video)", nullptr,
                  skipped.size());
  }
  statusBar()->showMessage(message, 6000);
  return added;
}

void MainWindow::selectMedia(int row) {
  const QModelIndex index = mediaModel_->index(row);
  if (!index.isValid()) return;
  mediaList_->setCurrentIndex(index);
  mediaList_->scrollTo(index);
}

bool MainWindow::isSettled() const {
  return thumbnailLoader_->pendingCount() == 0 && !mediaView_->isLoading();
}

void MainWindow::onCurrentMediaChanged() {
  const QModelIndex index = mediaList_->currentIndex();
  if (!index.isValid()) {
    clearViewer();
  } else {
    mediaView_->showMedia(document_->media(index.row()));
  }
  updateStatus();
}

void MainWindow::clearViewer() {
  mediaView_->clear(document_->mediaCount() == 0
                        ? tr("This project has no pictures or videos yet.\n\n"
                             "Drop them here, or choose File ▸ Import Media…")
                        : QString());
}

void MainWindow::updateWindowTitle() {
  setWindowTitle(tr("%1[*] — Atelier").arg(document_->displayName()));
  setWindowModified(document_->isModified());
}

void MainWindow::updateStatus() {
  statusCount_->setText(tr("%n item(s)", nullptr, document_->mediaCount()));
  const QModelIndex index = mediaList_->currentIndex();
  if (!index.isValid() || !mediaView_->hasMedia()) {
    statusMedia_->clear();
    return;
  }
  const QSize size = mediaView_->sourceSize();
  QString text = QStringLiteral("%1 · %2 × %3")
                     .arg(QFileInfo(mediaView_->currentPath()).fileName())
                     .arg(size.width())
                     .arg(size.height());
  if (mediaView_->frameCount() > 1) {
    text += tr(" · %n frame(s)", nullptr, mediaView_->frameCount());
  }
  statusMedia_->setText(text);
}

void MainWindow::updateRecentMenu() {
  recentMenu_->clear();
  const QStringList files = RecentProjects::list();
  for (const QString& file : files) {
    QAction* action = recentMenu_->addAction(QFileInfo(file).fileName());
    action->setToolTip(QDir::toNativeSeparators(file));
    action->setStatusTip(QDir::toNativeSeparators(file));
    connect(action, &QAction::triggered, this, [this, file] { openProject(file); });
  }
  if (files.isEmpty()) recentMenu_->addAction(tr("No recent projects"))->setEnabled(false);
  recentMenu_->addSeparator();
  QAction* clear = recentMenu_->addAction(tr("Clear Menu"));
  clear->setEnabled(!files.isEmpty());
  connect(clear, &QAction::triggered, this, [] { RecentProjects::clear(); });
}

bool MainWindow::maybeSave() {
  if (!document_ || !document_->isModified()) return true;
  const auto answer = QMessageBox::warning(
      this, tr("Unsaved changes"),
      tr("The project \"%1\" has unsaved changes. Save them?").arg(document_->displayName()),
      QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
  if (answer == QMessageBox::Save) return saveProject();
  return answer == QMessageBox::Discard;
}

void MainWindow::showError(const QString& title, const QString& message) {
  statusBar()->showMessage(message, 8000);
  // Non-blocking: the event loop (workers, timers, tests) keeps running behind the box.
  auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
  Q_EMIT errorShown(message);
}

void MainWindow::chooseProjectToOpen() {
  const QString dir = document_->fileName().isEmpty() ? QDir::homePath() : document_->directory();
  const QString fileName = QFileDialog::getOpenFileName(
      this, tr("Open Project"), dir, tr("Atelier projects (*.atelier);;All files (*)"));
  if (!fileName.isEmpty()) openProject(fileName);
}

void MainWindow::chooseFilesToImport() {
  const QString dir = lastImportDir_.isEmpty() ? document_->directory() : lastImportDir_;
  const QStringList files =
      QFileDialog::getOpenFileNames(this, tr("Import Media"), dir, mediaFileDialogFilter());
  if (files.isEmpty()) return;
  lastImportDir_ = QFileInfo(files.front()).absolutePath();
  importFiles(files);
}

void MainWindow::showAbout() {
  QMessageBox::about(
      this, tr("About Atelier"),
      tr("<h3>Atelier %1</h3>"
         "<p>A desktop studio for disentangled and few-shot image and video generation, "
         "trained on your own pictures and videos, on your own machine.</p>"
         "<p>Built with Qt %2 and LibTorch.</p>")
          .arg(QStringLiteral(ATELIER_VERSION), QString::fromLatin1(qVersion())));
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (jobRunner_->isRunning()) {
    const auto answer = QMessageBox::question(
        this, tr("Training is running"),
        tr("%1 is still running. Stop it and quit? What it has learned so far is saved and can "
           "be resumed.")
            .arg(jobRunner_->title()),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    if (answer != QMessageBox::Yes) {
      event->ignore();
      return;
    }
  }
  if (maybeSave()) {
    event->accept();
  } else {
    event->ignore();
  }
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  const QStringList paths = localPaths(event->mimeData());
  for (const QString& path : paths) {
    if (canImport(path) || (paths.size() == 1 && (isProjectFile(path) || isModelFile(path)))) {
      event->acceptProposedAction();
      return;
    }
  }
}

void MainWindow::dropEvent(QDropEvent* event) {
  const QStringList paths = localPaths(event->mimeData());
  if (paths.isEmpty()) return;
  event->acceptProposedAction();
  if (paths.size() == 1 && (isProjectFile(paths.front()) || isModelFile(paths.front()))) {
    openFile(paths.front());
  } else {
    importFiles(paths);
  }
}

}  // namespace atelier::ui
