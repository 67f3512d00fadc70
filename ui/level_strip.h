// level_strip.h — one row of pictures, one per injection level of an analogy model (a->b, then
// b->a), the level the model chose marked: a person compares the levels at a glance and picks
// one. Knows nothing of models: the page gives each cell a render key and sends the pictures.
#pragma once

#include <QListWidget>
#include <vector>

namespace atelier::ui {

class LevelStrip : public QListWidget {
  Q_OBJECT

 public:
  struct Cell {
    QString caption;
    QString key;  // the render request's key; pictures arrive by it
    int level = 0;
  };

  explicit LevelStrip(QWidget* parent = nullptr);

  void setCells(const std::vector<Cell>& cells);  // without pictures: setPicture() brings them
  // Shows `image` in every cell of `key`; false when no cell has that key.
  bool setPicture(const QString& key, const QImage& image);
  int renderedCount() const;

 Q_SIGNALS:
  void levelPicked(int level, const QString& key);
};

}  // namespace atelier::ui
