// settings_dialog.h — Edit > Preferences: device, threads, preset per workspace, output folder.
#pragma once

#include <QDialog>
#include <QList>
#include <QMap>
#include <QStringList>

#include "studio_settings.h"

class QComboBox;
class QLineEdit;
class QSpinBox;

namespace atelier::ui {

class SettingsDialog : public QDialog {
  Q_OBJECT

 public:
  // A workspace with a preset chooser: its id, visible name and the methods it trains.
  struct PresetWorkspace {
    QString id;
    QString name;
    QStringList methods;
  };
  SettingsDialog(const StudioSettings& settings, const QList<PresetWorkspace>& workspaces,
                 QWidget* parent = nullptr);

  StudioSettings settings() const;

 private:
  StudioSettings base_;
  QComboBox* device_;
  QSpinBox* threads_;
  QSpinBox* processes_;
  QMap<QString, QComboBox*> presets_;
  QLineEdit* outputFolder_;
};

}  // namespace atelier::ui
