#include "recent_projects.h"

#include <QFileInfo>
#include <QSettings>

namespace atelier::ui {

namespace {
const QString kKey = QStringLiteral("recentProjects");
}

QStringList RecentProjects::list() {
  QStringList existing;
  for (const QString& file : QSettings().value(kKey).toStringList()) {
    if (QFileInfo::exists(file)) existing.append(file);
  }
  return existing;
}

void RecentProjects::add(const QString& fileName) {
  const QString absolute = QFileInfo(fileName).absoluteFilePath();
  QSettings settings;
  QStringList files = settings.value(kKey).toStringList();
  files.removeAll(absolute);
  files.prepend(absolute);
  while (files.size() > kMaxEntries) files.removeLast();
  settings.setValue(kKey, files);
}

void RecentProjects::clear() {
  QSettings().remove(kKey);
}

}  // namespace atelier::ui
