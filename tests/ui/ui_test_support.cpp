#include "ui_test_support.h"

#include <QCoreApplication>
#include <QDir>
#include <QSettings>
#include <QTemporaryDir>

namespace atelier::ui::test {

QString demoDir() {
  return QStringLiteral(ATELIER_DEMO_DIR);
}
QString demoProjectFile() {
  return QDir(demoDir()).filePath(QStringLiteral("demo.atelier"));
}
QString demoMedia(const QString& fileName) {
  return QDir(demoDir()).filePath(QStringLiteral("media/") + fileName);
}

void isolateSettings() {
  static QTemporaryDir settingsDir;  // lives until the test process ends
  QCoreApplication::setOrganizationName(QStringLiteral("AtelierTest"));
  QCoreApplication::setApplicationName(QStringLiteral("atelier-ui-test"));
  QSettings::setDefaultFormat(QSettings::IniFormat);
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());
}

}  // namespace atelier::ui::test
