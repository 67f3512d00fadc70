#include "media_list_model.h"

#include <QMimeData>
#include <QUrl>

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QPainter>
#include <QStyle>

#include "thumbnail_loader.h"

namespace atelier::ui {

namespace {

// A neutral frame the size of a thumbnail, shown until the real one arrives.
QIcon makeLoadingIcon(int size) {
  QPixmap pixmap(size, size * 3 / 4);
  pixmap.fill(Qt::transparent);
  QPainter painter(&pixmap);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setPen(QPen(QColor(128, 128, 128, 160), 2, Qt::DashLine));
  painter.setBrush(QColor(128, 128, 128, 40));
  painter.drawRoundedRect(QRectF(pixmap.rect()).adjusted(2, 2, -2, -2), 6, 6);
  return QIcon(pixmap);
}

// Centres a thumbnail in a fixed 4:3 box, so that every row's text starts at the same place.
QPixmap boxedThumbnail(const QImage& thumbnail, int size) {
  QPixmap pixmap(size, size * 3 / 4);
  pixmap.fill(Qt::transparent);
  const bool fits = thumbnail.width() <= pixmap.width() && thumbnail.height() <= pixmap.height();
  const QImage scaled =
      fits ? thumbnail
           : thumbnail.scaled(pixmap.size(), Qt::KeepAspectRatio, Qt::SmoothTransformation);
  QPainter painter(&pixmap);
  painter.drawImage((pixmap.width() - scaled.width()) / 2, (pixmap.height() - scaled.height()) / 2,
                    scaled);
  return pixmap;
}

}  // namespace

MediaListModel::MediaListModel(ThumbnailLoader* loader, QObject* parent)
    : QAbstractListModel(parent), loader_(loader), loadingIcon_(makeLoadingIcon(loader->size())) {
  connect(loader_, &ThumbnailLoader::thumbnailReady, this, &MediaListModel::onThumbnailReady);
}

void MediaListModel::setDocument(Document* document) {
  beginResetModel();
  if (document_) document_->disconnect(this);
  document_ = document;
  if (document_) {
    connect(document_, &Document::mediaAboutToBeInserted, this,
            [this](int first, int last) { beginInsertRows({}, first, last); });
    connect(document_, &Document::mediaInserted, this, [this](int first, int last) {
      endInsertRows();
      requestThumbnails(first, last);
    });
    connect(document_, &Document::mediaAboutToBeRemoved, this,
            [this](int first, int last) { beginRemoveRows({}, first, last); });
    connect(document_, &Document::mediaRemoved, this, [this] { endRemoveRows(); });
    connect(document_, &QObject::destroyed, this, [this] { setDocument(nullptr); });
  }
  endResetModel();
  if (document_ && document_->mediaCount() > 0) requestThumbnails(0, document_->mediaCount() - 1);
}

int MediaListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || !document_ ? 0 : document_->mediaCount();
}

QVariant MediaListModel::data(const QModelIndex& index, int role) const {
  if (!document_ || !index.isValid() || index.row() >= document_->mediaCount()) return {};
  const MediaItem& item = document_->media(index.row());
  const std::optional<ThumbnailLoader::Entry> entry = loader_->thumbnail(item);
  switch (role) {
    case Qt::DisplayRole: {
      const QString name = QFileInfo(item.path).fileName();
      QString detail = item.kind == MediaKind::Video ? tr("Video") : tr("Picture");
      if (entry && !entry->error.isEmpty()) {
        detail = QFileInfo::exists(item.path) ? tr("Unreadable") : tr("Missing");
      } else if (entry) {
        detail += QStringLiteral(" · %1 × %2")
                      .arg(entry->sourceSize.width())
                      .arg(entry->sourceSize.height());
      }
      return QStringLiteral("%1\n%2").arg(name, detail);
    }
    case Qt::ToolTipRole: {
      QString tip = QDir::toNativeSeparators(item.path);
      if (entry && !entry->error.isEmpty()) tip += QStringLiteral("\n") + entry->error;
      return tip;
    }
    case Qt::DecorationRole:
      return iconFor(item);
    case PathRole:
      return item.path;
    case KindRole:
      return static_cast<int>(item.kind);
    case HasThumbnailRole:
      return entry && !entry->image.isNull();
    default:
      return {};
  }
}

bool MediaListModel::hasThumbnail(int row) const {
  return data(index(row), HasThumbnailRole).toBool();
}

QIcon MediaListModel::iconFor(const MediaItem& item) const {
  const auto cached = icons_.constFind(item.path);
  if (cached != icons_.constEnd()) return cached.value();
  const std::optional<ThumbnailLoader::Entry> entry = loader_->thumbnail(item);
  if (!entry) return loadingIcon_;
  const QImage image =
      entry->image.isNull()
          ? QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(64).toImage()
          : entry->image;
  const QIcon icon(boxedThumbnail(image, loader_->size()));
  icons_.insert(item.path, icon);
  return icon;
}

void MediaListModel::requestThumbnails(int first, int last) {
  for (int row = first; row <= last; ++row) loader_->thumbnail(document_->media(row));
}

void MediaListModel::onThumbnailReady(const QString& path) {
  icons_.remove(path);
  if (!document_) return;
  for (int row = 0; row < document_->mediaCount(); ++row) {
    if (document_->media(row).path == path) {
      const QModelIndex changed = index(row);
      Q_EMIT dataChanged(changed, changed);
    }
  }
}

Qt::ItemFlags MediaListModel::flags(const QModelIndex& index) const {
  Qt::ItemFlags f = QAbstractListModel::flags(index);
  if (index.isValid()) f |= Qt::ItemIsDragEnabled;
  return f;
}

QStringList MediaListModel::mimeTypes() const {
  return {QStringLiteral("text/uri-list")};
}

QMimeData* MediaListModel::mimeData(const QModelIndexList& indexes) const {
  QList<QUrl> urls;
  for (const QModelIndex& index : indexes) {
    if (index.isValid() && document_) {
      urls.append(QUrl::fromLocalFile(document_->media(index.row()).path));
    }
  }
  auto* mime = new QMimeData;
  mime->setUrls(urls);
  return mime;
}

}  // namespace atelier::ui
