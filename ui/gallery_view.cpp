#include "gallery_view.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QKeyEvent>
#include <QMimeData>
#include <QPixmap>
#include <QUrl>

#include "media_item.h"
#include "thumbnail_loader.h"

namespace atelier::ui {
namespace {

QStringList droppedImageFiles(const QMimeData* mime) {
  QStringList files;
  if (!mime->hasUrls()) return files;
  for (const QUrl& url : mime->urls()) {
    MediaKind kind;
    if (url.isLocalFile() && mediaKindForFile(url.toLocalFile(), &kind) &&
        kind == MediaKind::Image) {
      files.append(url.toLocalFile());
    }
  }
  return files;
}

}  // namespace

GalleryView::GalleryView(Domain domain, ThumbnailLoader* thumbnails, QWidget* parent)
    : QListWidget(parent), domain_(domain), thumbnails_(thumbnails) {
  setViewMode(QListView::IconMode);
  setIconSize(QSize(72, 72));
  setGridSize(QSize(84, 96));
  setResizeMode(QListView::Adjust);
  setMovement(QListView::Static);
  setWordWrap(false);
  setTextElideMode(Qt::ElideMiddle);
  setSelectionMode(QAbstractItemView::ExtendedSelection);
  setDragEnabled(true);
  setAcceptDrops(true);
  viewport()->setAcceptDrops(true);  // else the window behind takes the files (as an import)
  setDropIndicatorShown(false);
  setDragDropMode(QAbstractItemView::DragDrop);
  setDefaultDropAction(Qt::CopyAction);
  connect(thumbnails_, &ThumbnailLoader::thumbnailReady, this, &GalleryView::updateIcon);
}

void GalleryView::setPaths(const QStringList& paths) {
  const QString current = currentItem() ? currentItem()->data(Qt::UserRole).toString() : QString();
  paths_ = paths;
  clear();
  for (const QString& path : paths_) {
    auto* item = new QListWidgetItem(QFileInfo(path).fileName(), this);
    item->setData(Qt::UserRole, path);
    item->setToolTip(path);
    updateIcon(path);
    if (path == current) setCurrentItem(item);
  }
}

QStringList GalleryView::selectedPaths() const {
  QStringList selected;
  for (const QListWidgetItem* item : selectedItems()) {
    selected.append(item->data(Qt::UserRole).toString());
  }
  return selected;
}

void GalleryView::updateIcon(const QString& path) {
  const int row = paths_.indexOf(path);
  if (row < 0) return;
  const std::optional<ThumbnailLoader::Entry> entry =
      thumbnails_->thumbnail(MediaItem{path, MediaKind::Image});
  if (entry && !entry->image.isNull()) {
    item(row)->setIcon(QIcon(QPixmap::fromImage(entry->image)));
  } else if (entry && !entry->error.isEmpty()) {
    item(row)->setToolTip(entry->error);
  }
}

QMimeData* GalleryView::mimeDataFor(int row) const {
  const QString path = paths_.value(row);
  auto* mime = new QMimeData;
  mime->setUrls({QUrl::fromLocalFile(path)});
  const QString source =
      (domain_ == Domain::A ? QStringLiteral("a\n") : QStringLiteral("b\n")) + path;
  mime->setData(QLatin1String(kSourceMimeType), source.toUtf8());
  return mime;
}

bool GalleryView::readSource(const QMimeData* mime, QString* path, Domain* domain) {
  if (!mime || !mime->hasFormat(QLatin1String(kSourceMimeType))) return false;
  const QString text = QString::fromUtf8(mime->data(QLatin1String(kSourceMimeType)));
  const int newline = text.indexOf(QLatin1Char('\n'));
  if (newline != 1 || (text[0] != QLatin1Char('a') && text[0] != QLatin1Char('b'))) return false;
  *domain = text[0] == QLatin1Char('a') ? Domain::A : Domain::B;
  *path = text.mid(2);
  return !path->isEmpty();
}

QMimeData* GalleryView::mimeData(const QList<QListWidgetItem*>& items) const {
  if (items.isEmpty()) return nullptr;
  return mimeDataFor(row(items.front()));
}

QStringList GalleryView::mimeTypes() const {
  return {QLatin1String(kSourceMimeType), QStringLiteral("text/uri-list")};
}

void GalleryView::dragEnterEvent(QDragEnterEvent* event) {
  // Files from the media list or the file manager; not this gallery's own thumbnails.
  if (event->source() != this && !droppedImageFiles(event->mimeData()).isEmpty()) {
    event->acceptProposedAction();
  } else {
    event->ignore();
  }
}

void GalleryView::dragMoveEvent(QDragMoveEvent* event) {
  if (event->source() != this && !droppedImageFiles(event->mimeData()).isEmpty()) {
    event->acceptProposedAction();
  } else {
    event->ignore();
  }
}

void GalleryView::dropEvent(QDropEvent* event) {
  const QStringList files = droppedImageFiles(event->mimeData());
  if (event->source() == this || files.isEmpty()) {
    event->ignore();
    return;
  }
  event->acceptProposedAction();
  Q_EMIT filesDropped(files);
}

void GalleryView::keyPressEvent(QKeyEvent* event) {
  if ((event->key() == Qt::Key_Delete || event->key() == Qt::Key_Backspace) &&
      !selectedItems().isEmpty()) {
    Q_EMIT removeRequested(selectedPaths());
    return;
  }
  QListWidget::keyPressEvent(event);
}

}  // namespace atelier::ui
