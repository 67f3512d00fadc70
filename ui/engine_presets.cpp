#include "engine_presets.h"

#include <exception>

#include "atelier/preset.h"

namespace atelier::ui {

QStringList enginePresetNames(const QStringList& methods) {
  QStringList names;
  for (const QString& method : methods) {
    try {
      for (const std::string& name : atelier::list_presets(method.toStdString()))
        if (!names.contains(QString::fromStdString(name))) names << QString::fromStdString(name);
    } catch (const std::exception&) {
      // An unreadable models folder: the chooser offers what the other methods have.
    }
  }
  return names;
}

}  // namespace atelier::ui
