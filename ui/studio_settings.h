// studio_settings.h — the studio's preferences, kept with QSettings: where the engine computes
// (device, threads), the preset each workspace trains with, and the default output folder.
#pragma once

#include <QMap>
#include <QString>
#include <QStringList>

#include "atelier/compute.h"

namespace atelier::ui {

struct StudioSettings {
  QString device = QStringLiteral("auto");  // "auto" (CUDA when present), "cpu", "cuda"
  // CPU threads for the engine; 0: automatic (every core while other programs leave them free)
  int threads = 0;
  // Processes on this machine for the trainings that spread over several (attribute transfer,
  // one-shot phase I):
  // data-parallel ranks, one job in the training panel.
  int processes = 1;
  QMap<QString, QString> presets;  // workspace id -> preset name; missing: "preview"
  QString outputFolder;            // empty: defaultOutputFolder()

  static StudioSettings load();  // from QSettings (the application's names)
  void save() const;

  atelier::ComputeOptions compute() const;
  QString preset(const QString& workspace) const;
  QString effectiveOutputFolder() const;

  static QString defaultOutputFolder();  // <Documents>/Atelier
};

}  // namespace atelier::ui
