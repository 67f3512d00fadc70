#include "engine_presets.h"

#include <exception>

#include "atelier/preset.h"

namespace atelier::ui {

QStringList enginePresetNames(const QStringList& methods, QString* error) {
  QStringList names;
  for (const QString& method : methods) {
    try {
      for (const std::string& name : atelier::list_presets(method.toStdString()))
        if (!names.contains(QString::fromStdString(name))) names << QString::fromStdString(name);
    } catch (const std::exception& e) {
      // An unreadable models folder: the chooser offers what the other methods have.
      if (error) *error = QString::fromStdString(e.what());
    }
  }
  return names;
}

}  // namespace atelier::ui
