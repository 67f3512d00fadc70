#include "level_strip.h"

#include <QIcon>
#include <QPixmap>
#include <QScrollBar>

namespace atelier::ui {
namespace {

constexpr int kIconSize = 96;
constexpr int kKeyRole = Qt::UserRole;
constexpr int kLevelRole = Qt::UserRole + 1;

}  // namespace

LevelStrip::LevelStrip(QWidget* parent) : QListWidget(parent) {
  setViewMode(QListView::IconMode);
  setFlow(QListView::LeftToRight);
  setWrapping(false);
  setMovement(QListView::Static);
  setIconSize(QSize(kIconSize, kIconSize));
  setGridSize(QSize(kIconSize + 40, kIconSize + 26));
  setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
  setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  // One row and its scroll bar.
  setFixedHeight(kIconSize + 26 + 2 * frameWidth() + horizontalScrollBar()->sizeHint().height());
  setToolTip(
      tr("The translation at every injection level: low levels keep the source's layout "
         "and take the target's look; high levels only recolour the source. Click one to "
         "use its level."));
  connect(this, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
    Q_EMIT levelPicked(item->data(kLevelRole).toInt(), item->data(kKeyRole).toString());
  });
}

void LevelStrip::setCells(const std::vector<Cell>& cells) {
  clear();
  for (const Cell& cell : cells) {
    auto* entry = new QListWidgetItem(cell.caption, this);
    entry->setData(kKeyRole, cell.key);
    entry->setData(kLevelRole, cell.level);
    entry->setTextAlignment(Qt::AlignHCenter | Qt::AlignTop);
  }
}

bool LevelStrip::setPicture(const QString& key, const QImage& image) {
  bool found = false;
  for (int i = 0; i < count(); ++i) {
    if (item(i)->data(kKeyRole).toString() != key) continue;
    item(i)->setIcon(QIcon(QPixmap::fromImage(
        image.scaled(kIconSize, kIconSize, Qt::KeepAspectRatio, Qt::SmoothTransformation))));
    found = true;
  }
  return found;
}

int LevelStrip::renderedCount() const {
  int n = 0;
  for (int i = 0; i < count(); ++i) n += !item(i)->icon().isNull();
  return n;
}

}  // namespace atelier::ui
