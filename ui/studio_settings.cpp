#include "studio_settings.h"

#include <QDir>
#include <QSettings>
#include <QStandardPaths>
#include <algorithm>

namespace atelier::ui {

StudioSettings StudioSettings::load() {
  QSettings store;
  StudioSettings s;
  s.device = store.value(QStringLiteral("engine/device"), s.device).toString();
  s.threads = std::max(0, store.value(QStringLiteral("engine/threads"), 0).toInt());
  s.processes = std::max(1, store.value(QStringLiteral("engine/processes"), 1).toInt());
  s.outputFolder = store.value(QStringLiteral("output/folder")).toString();
  store.beginGroup(QStringLiteral("presets"));
  for (const QString& key : store.childKeys()) s.presets.insert(key, store.value(key).toString());
  store.endGroup();
  return s;
}

void StudioSettings::save() const {
  QSettings store;
  store.setValue(QStringLiteral("engine/device"), device);
  store.setValue(QStringLiteral("engine/threads"), threads);
  store.setValue(QStringLiteral("engine/processes"), processes);
  store.setValue(QStringLiteral("output/folder"), outputFolder);
  store.remove(QStringLiteral("presets"));
  store.beginGroup(QStringLiteral("presets"));
  for (auto it = presets.begin(); it != presets.end(); ++it) store.setValue(it.key(), it.value());
  store.endGroup();
}

atelier::ComputeOptions StudioSettings::compute() const {
  atelier::ComputeOptions options;
  options.device = device.toStdString();
  options.threads = threads;
  return options;
}

QString StudioSettings::preset(const QString& workspace) const {
  return presets.value(workspace, QStringLiteral("preview"));
}

QString StudioSettings::effectiveOutputFolder() const {
  return outputFolder.isEmpty() ? defaultOutputFolder() : outputFolder;
}

QString StudioSettings::defaultOutputFolder() {
  return QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
      .filePath(QStringLiteral("Atelier"));
}

}  // namespace atelier::ui
