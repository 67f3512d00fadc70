// project.h — the contents of a *.atelier project file.
//
// A project file is JSON:
//   { "format": "atelier-project", "version": 1, "name": "...",
//     "media": [ { "path": "media/a.png", "kind": "image" }, ... ],
//     "workspaces": [ { "id": "attribute-transfer", ... }, ... ], "settings": {...} }
// Media paths are stored relative to the project file's folder, so a project folder can be moved or
// copied as a whole; in memory they are absolute. Workspaces with a shape here (attribute
// transfer) are read into their structs; others, and "settings", are kept as raw JSON.
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <optional>

#include "media_item.h"
#include "oneshot_state.h"
#include "robustness_state.h"
#include "single_image_state.h"
#include "transfer_state.h"

namespace atelier::ui {

class Project {
 public:
  static constexpr int kFormatVersion = 1;
  static constexpr const char* kFileSuffix = "atelier";

  QString name;
  MediaList media;
  TransferState transfer;
  SliderState sliders;
  SingleImageState singleImage;
  OneshotState oneshot;
  RobustnessState robustness;
  QJsonArray workspaces;  // entries of workspaces not read into a struct above
  QJsonObject settings;

  int indexOf(const QString& absolutePath) const;

  // Reads a project file. On failure returns nothing and sets *error to a message naming the file.
  static std::optional<Project> read(const QString& filePath, QString* error);

  // Writes atomically (QSaveFile): an existing file is never left half-written.
  bool write(const QString& filePath, QString* error) const;

  // The JSON text (media paths relative to `projectDir`).
  QJsonObject toJson(const QString& projectDir) const;
  static std::optional<Project> fromJson(const QJsonObject& json, const QString& projectDir,
                                         QString* problem);
};

}  // namespace atelier::ui
