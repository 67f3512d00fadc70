#include "demo_location.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

QString bundledDemoProject() {
  const QString installed = QDir(QCoreApplication::applicationDirPath())
                                .filePath(QStringLiteral("../share/atelier/demo/demo.atelier"));
  if (QFileInfo::exists(installed)) return QDir::cleanPath(installed);
  const QString source =
      QDir(QStringLiteral(ATELIER_SOURCE_DEMO_DIR)).filePath(QStringLiteral("demo.atelier"));
  if (QFileInfo::exists(source)) return source;
  return {};
}
