// recent_projects.h — the list behind File > Recent Projects, kept in QSettings.
#pragma once

#include <QStringList>

namespace atelier::ui {

class RecentProjects {
 public:
  static constexpr int kMaxEntries = 10;

  // Newest first; files that no longer exist are left out.
  static QStringList list();
  // Moves `fileName` to the front.
  static void add(const QString& fileName);
  static void clear();
};

}  // namespace atelier::ui
