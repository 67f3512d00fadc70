// settings_dialog.h — Edit > Preferences: device, threads, preset per workspace, output folder.
#pragma once

#include <QDialog>
#include <QMap>

#include "studio_settings.h"

class QComboBox;
class QLineEdit;
class QSpinBox;

namespace atelier::ui {

class SettingsDialog : public QDialog {
  Q_OBJECT

 public:
  // `workspaces`: id -> visible name, for one preset chooser each.
  SettingsDialog(const StudioSettings& settings, const QMap<QString, QString>& workspaces,
                 QWidget* parent = nullptr);

  StudioSettings settings() const;

 private:
  StudioSettings base_;
  QComboBox* device_;
  QSpinBox* threads_;
  QMap<QString, QComboBox*> presets_;
  QLineEdit* outputFolder_;
};

}  // namespace atelier::ui
