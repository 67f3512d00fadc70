#include "document.h"

#include <QDir>
#include <QFileInfo>

#include "import_media_command.h"

namespace atelier::ui {

Document::Document(QObject* parent) : Document(Project{}, QString(), parent) {}

Document::Document(Project project, QString fileName, QObject* parent)
    : QObject(parent), project_(std::move(project)), fileName_(std::move(fileName)) {
  connect(&undoStack_, &QUndoStack::cleanChanged, this,
          [this](bool clean) { Q_EMIT modifiedChanged(!clean); });
}

Document::~Document() = default;

std::unique_ptr<Document> Document::open(const QString& fileName, QString* error) {
  std::optional<Project> project = Project::read(fileName, error);
  if (!project) return nullptr;
  return std::make_unique<Document>(std::move(*project), QFileInfo(fileName).absoluteFilePath());
}

bool Document::save(const QString& fileName, QString* error) {
  const QString absolute = QFileInfo(fileName).absoluteFilePath();
  if (!project_.write(absolute, error)) return false;
  const bool renamed = absolute != fileName_;
  fileName_ = absolute;
  undoStack_.setClean();
  if (renamed) Q_EMIT fileNameChanged(fileName_);
  return true;
}

QString Document::displayName() const {
  if (!project_.name.isEmpty()) return project_.name;
  if (!fileName_.isEmpty()) return QFileInfo(fileName_).completeBaseName();
  return tr("Untitled");
}

QString Document::directory() const {
  return fileName_.isEmpty() ? QDir::currentPath() : QFileInfo(fileName_).absolutePath();
}

int Document::importMedia(const QStringList& files, QStringList* skipped) {
  MediaList accepted;
  for (const QString& file : files) {
    const QFileInfo info(file);
    MediaItem item;
    item.path = QDir::cleanPath(info.absoluteFilePath());
    const bool readable = info.isFile() && mediaKindForFile(item.path, &item.kind);
    const bool duplicate = project_.indexOf(item.path) >= 0 || accepted.contains(item);
    if (!readable || duplicate) {
      if (skipped) skipped->append(file);
      continue;
    }
    accepted.append(item);
  }
  if (!accepted.isEmpty()) undoStack_.push(new ImportMediaCommand(this, mediaCount(), accepted));
  return accepted.size();
}

void Document::insertMedia(int index, const MediaList& items) {
  if (items.isEmpty()) return;
  const int last = index + items.size() - 1;
  Q_EMIT mediaAboutToBeInserted(index, last);
  for (int i = 0; i < items.size(); ++i) project_.media.insert(index + i, items[i]);
  Q_EMIT mediaInserted(index, last);
}

void Document::removeMedia(int index, int count) {
  if (count <= 0) return;
  const int last = index + count - 1;
  Q_EMIT mediaAboutToBeRemoved(index, last);
  project_.media.remove(index, count);
  Q_EMIT mediaRemoved(index, last);
}

void Document::setGallery(Domain domain, const QStringList& paths) {
  project_.transfer.gallery(domain) = paths;
  Q_EMIT galleryChanged(domain);
}

void Document::setTransferModel(const QString& path) {
  project_.transfer.model = path;
  Q_EMIT transferModelChanged(path);
}

void Document::insertTransferStep(int index, const TransferStep& step) {
  project_.transfer.history.insert(index, step);
  Q_EMIT transferHistoryChanged();
}

void Document::removeTransferStep(int index) {
  project_.transfer.history.remove(index);
  Q_EMIT transferHistoryChanged();
}

void Document::setSliderValue(SliderState::Field field, double value) {
  project_.sliders.values[field] = value;
  Q_EMIT slidersChanged();
}

void Document::setSliderImages(const QString& image, const QString& second) {
  project_.sliders.image = image;
  project_.sliders.second = second;
  Q_EMIT slidersChanged();
}

void Document::setSingleImage(const SingleImageState& state) {
  project_.singleImage = state;
  Q_EMIT singleImageChanged();
}

void Document::setOneshot(const OneshotState& state) {
  project_.oneshot = state;
  Q_EMIT oneshotChanged();
}

void Document::setRobustness(const RobustnessState& state) {
  project_.robustness = state;
  Q_EMIT robustnessChanged();
}

}  // namespace atelier::ui
