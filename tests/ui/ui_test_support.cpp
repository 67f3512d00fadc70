#include "ui_test_support.h"

#include <QCoreApplication>
#include <QDir>
#include <QSettings>
#include <QTemporaryDir>

#include "main_window.h"
#include "oneshot_state.h"
#include "single_image_state.h"
#include "studio_settings.h"
#include "transfer_state.h"
#include "video_variations_page.h"

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
  qputenv("ATELIER_RECOVERY_DIR",
          QDir(settingsDir.path()).filePath(QStringLiteral("recovery")).toUtf8());
}

void useTestSettings(MainWindow& window, const QString& outputFolder, const QString& preset) {
  StudioSettings settings;
  settings.device = QStringLiteral("cpu");
  settings.threads = 1;
  settings.outputFolder = outputFolder;
  for (const char* workspace : {VideoVariationsPage::kWorkspaceId, TransferState::kWorkspaceId,
                                SingleImageState::kWorkspaceId, OneshotState::kWorkspaceId}) {
    settings.presets.insert(QString::fromLatin1(workspace), preset);
  }
  window.applySettings(settings);
}

}  // namespace atelier::ui::test
