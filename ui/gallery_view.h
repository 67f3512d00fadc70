// gallery_view.h — one domain's images in the Attribute transfer workspace: thumbnails that can
// be dragged onto the canvas (carrying the image and its domain), files dropped in to add them,
// Delete to take the selected ones out.
#pragma once

#include <QListWidget>
#include <QStringList>

#include "transfer_state.h"

namespace atelier::ui {

class ThumbnailLoader;

class GalleryView : public QListWidget {
  Q_OBJECT

 public:
  // What a dragged thumbnail carries besides its file URL: "a" or "b", a newline, the path.
  static constexpr const char* kSourceMimeType = "application/x-atelier-transfer-source";

  GalleryView(Domain domain, ThumbnailLoader* thumbnails, QWidget* parent = nullptr);

  Domain domain() const { return domain_; }
  void setPaths(const QStringList& paths);
  QStringList paths() const { return paths_; }
  QString pathAt(int row) const { return paths_.value(row); }
  QStringList selectedPaths() const;

  // The drag's data for the thumbnail at `row` (also what tests drop).
  QMimeData* mimeDataFor(int row) const;
  // Reads a source written by mimeDataFor(): false when `mime` carries none.
  static bool readSource(const QMimeData* mime, QString* path, Domain* domain);

 Q_SIGNALS:
  void filesDropped(const QStringList& paths);
  void removeRequested(const QStringList& paths);

 protected:
  QMimeData* mimeData(const QList<QListWidgetItem*>& items) const override;
  QStringList mimeTypes() const override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dragMoveEvent(QDragMoveEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;

 private:
  void updateIcon(const QString& path);

  Domain domain_;
  ThumbnailLoader* thumbnails_;
  QStringList paths_;
};

}  // namespace atelier::ui
