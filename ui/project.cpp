#include "project.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

#include "atelier/file_checks.h"

namespace atelier::ui {

namespace {

const QLatin1String kFormatTag("atelier-project");
// A project holds paths and small settings; a file this large is not one (and would be read whole).
constexpr qint64 kMaxFileBytes = qint64(64) << 20;

QString describe(const QString& filePath, const QString& problem) {
  return QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(filePath), problem);
}

}  // namespace

int Project::indexOf(const QString& absolutePath) const {
  const QString wanted = QDir::cleanPath(absolutePath);
  for (int i = 0; i < media.size(); ++i) {
    if (media[i].path == wanted) return i;
  }
  return -1;
}

QJsonObject Project::toJson(const QString& projectDir) const {
  const QDir dir(projectDir);
  QJsonArray mediaJson;
  for (const MediaItem& item : media) {
    QJsonObject entry;
    entry[QStringLiteral("path")] = dir.relativeFilePath(item.path);
    entry[QStringLiteral("kind")] = mediaKindName(item.kind);
    mediaJson.append(entry);
  }
  QJsonObject json;
  json[QStringLiteral("format")] = kFormatTag;
  json[QStringLiteral("version")] = kFormatVersion;
  json[QStringLiteral("name")] = name;
  json[QStringLiteral("media")] = mediaJson;
  QJsonArray workspacesJson = workspaces;
  workspacesJson.append(transfer.toJson(projectDir));
  workspacesJson.append(sliders.toJson(projectDir));
  workspacesJson.append(singleImage.toJson(projectDir));
  workspacesJson.append(oneshot.toJson(projectDir));
  workspacesJson.append(robustness.toJson());
  json[QStringLiteral("workspaces")] = workspacesJson;
  json[QStringLiteral("settings")] = settings;
  return json;
}

std::optional<Project> Project::fromJson(const QJsonObject& json, const QString& projectDir,
                                         QString* problem) {
  if (json.value(QStringLiteral("format")).toString() != kFormatTag) {
    *problem = QStringLiteral("not an Atelier project (no \"format\": \"%1\")").arg(kFormatTag);
    return std::nullopt;
  }
  const int version = json.value(QStringLiteral("version")).toInt(0);
  if (version < 1) {
    *problem = QStringLiteral("missing or invalid \"version\"");
    return std::nullopt;
  }
  if (version > kFormatVersion) {
    *problem =
        QStringLiteral("written by a newer Atelier (project version %1, this one reads up to %2)")
            .arg(version)
            .arg(kFormatVersion);
    return std::nullopt;
  }

  Project project;
  project.name = json.value(QStringLiteral("name")).toString();
  const QDir dir(projectDir);
  const QJsonValue mediaValue = json.value(QStringLiteral("media"));
  if (!mediaValue.isUndefined() && !mediaValue.isArray()) {
    *problem = QStringLiteral("\"media\" is not a list");
    return std::nullopt;
  }
  const QJsonArray mediaJson = mediaValue.toArray();
  for (int i = 0; i < mediaJson.size(); ++i) {
    const QJsonObject entry = mediaJson[i].toObject();
    const QString relative = entry.value(QStringLiteral("path")).toString();
    if (relative.isEmpty()) {
      *problem = QStringLiteral("media entry %1 has no \"path\"").arg(i);
      return std::nullopt;
    }
    MediaItem item;
    item.path = QDir::cleanPath(dir.absoluteFilePath(relative));
    const QString kindName = entry.value(QStringLiteral("kind")).toString();
    if (!mediaKindFromName(kindName, &item.kind)) {
      *problem = QStringLiteral("media entry %1 (%2) has an unknown kind \"%3\"")
                     .arg(i)
                     .arg(relative, kindName);
      return std::nullopt;
    }
    project.media.append(item);
  }
  for (const QJsonValue& value : json.value(QStringLiteral("workspaces")).toArray()) {
    const QJsonObject workspace = value.toObject();
    const QString id = workspace.value(QStringLiteral("id")).toString();
    if (id == QLatin1String(TransferState::kWorkspaceId)) {
      if (!TransferState::fromJson(workspace, projectDir, &project.transfer, problem)) {
        return std::nullopt;
      }
    } else if (id == QLatin1String(SliderState::kWorkspaceId)) {
      project.sliders = SliderState::fromJson(workspace, projectDir);
    } else if (id == QLatin1String(SingleImageState::kWorkspaceId)) {
      project.singleImage = SingleImageState::fromJson(workspace, projectDir);
    } else if (id == QLatin1String(OneshotState::kWorkspaceId)) {
      project.oneshot = OneshotState::fromJson(workspace, projectDir);
    } else if (id == QLatin1String(RobustnessState::kWorkspaceId)) {
      project.robustness = RobustnessState::fromJson(workspace);
    } else {
      project.workspaces.append(value);
    }
  }
  project.settings = json.value(QStringLiteral("settings")).toObject();
  return project;
}

std::optional<Project> Project::read(const QString& filePath, QString* error) {
  try {
    // Before opening: QFile would wait forever on a named pipe.
    atelier::require_regular_file(filePath.toStdString(), "a project");
  } catch (const std::exception& e) {
    *error = QString::fromStdString(e.what());
    return std::nullopt;
  }
  QFile file(filePath);
  if (!file.open(QIODevice::ReadOnly)) {
    *error = describe(filePath, QStringLiteral("cannot open: %1").arg(file.errorString()));
    return std::nullopt;
  }
  if (file.size() > kMaxFileBytes) {
    *error =
        describe(filePath, QStringLiteral("%1 MB is too large for a project file (at most %2 MB)")
                               .arg(file.size() >> 20)
                               .arg(kMaxFileBytes >> 20));
    return std::nullopt;
  }
  QJsonParseError parseError;
  const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
  if (parseError.error != QJsonParseError::NoError) {
    *error = describe(filePath, QStringLiteral("invalid JSON at byte %1: %2")
                                    .arg(parseError.offset)
                                    .arg(parseError.errorString()));
    return std::nullopt;
  }
  if (!document.isObject()) {
    *error =
        describe(filePath, QStringLiteral("not an Atelier project (top level is not an object)"));
    return std::nullopt;
  }
  QString problem;
  std::optional<Project> project =
      fromJson(document.object(), QFileInfo(filePath).absolutePath(), &problem);
  if (!project) {
    *error = describe(filePath, problem);
    return std::nullopt;
  }
  if (project->name.isEmpty()) project->name = QFileInfo(filePath).completeBaseName();
  return project;
}

bool Project::write(const QString& filePath, QString* error) const {
  const QByteArray text =
      QJsonDocument(toJson(QFileInfo(filePath).absolutePath())).toJson(QJsonDocument::Indented);
  QSaveFile file(filePath);
  if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit()) {
    *error = describe(filePath, QStringLiteral("cannot write: %1").arg(file.errorString()));
    return false;
  }
  return true;
}

}  // namespace atelier::ui
