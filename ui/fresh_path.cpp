#include "fresh_path.h"

#include <QDir>
#include <QFileInfo>

namespace atelier::ui {

QString freshPath(const QString& folder, const QString& stem, const QString& suffix) {
  const QDir dir(folder);
  QString name = stem + suffix;
  for (int k = 2; QFileInfo::exists(dir.filePath(name)); ++k) {
    name = stem + QLatin1Char('_') + QString::number(k) + suffix;
  }
  return dir.filePath(name);
}

}  // namespace atelier::ui
