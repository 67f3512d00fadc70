// media_list_model.h — the media of a document as a list: names, kinds, thumbnails.
//
// Follows the document's change signals row by row. Thumbnails come from a ThumbnailLoader; every
// row's thumbnail is requested as soon as the row appears, so the list fills in without waiting
// for the view to scroll.
#pragma once

#include <QAbstractListModel>
#include <QHash>
#include <QIcon>
#include <QPointer>

#include "document.h"

namespace atelier::ui {

class ThumbnailLoader;

class MediaListModel : public QAbstractListModel {
  Q_OBJECT

 public:
  enum Role {
    PathRole = Qt::UserRole + 1,  // QString, absolute
    KindRole,                     // int (MediaKind)
    HasThumbnailRole,             // bool: the thumbnail has arrived
  };

  explicit MediaListModel(ThumbnailLoader* loader, QObject* parent = nullptr);

  void setDocument(Document* document);
  Document* document() const { return document_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  // Items drag out as file URLs (into the transfer galleries, or other applications).
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  QStringList mimeTypes() const override;
  QMimeData* mimeData(const QModelIndexList& indexes) const override;

  bool hasThumbnail(int row) const;

 private:
  void requestThumbnails(int first, int last);
  void onThumbnailReady(const QString& path);
  QIcon iconFor(const MediaItem& item) const;

  QPointer<Document> document_;
  ThumbnailLoader* loader_;
  mutable QHash<QString, QIcon> icons_;  // QIcons made from the loader's thumbnails
  QIcon loadingIcon_;
};

}  // namespace atelier::ui
