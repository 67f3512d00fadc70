#include "oneshot_state.h"

#include <QDir>

namespace atelier::ui {

QJsonObject OneshotState::toJson(const QString& projectDir) const {
  const QDir dir(projectDir);
  auto relative = [&](const QString& path) {
    return path.isEmpty() ? QString() : dir.relativeFilePath(path);
  };
  QJsonObject json;
  json[QStringLiteral("id")] = QLatin1String(kWorkspaceId);
  json[QStringLiteral("b_folder")] = relative(bFolder);
  json[QStringLiteral("base")] = relative(base);
  json[QStringLiteral("picture")] = relative(picture);
  json[QStringLiteral("model")] = relative(model);
  return json;
}

OneshotState OneshotState::fromJson(const QJsonObject& json, const QString& projectDir) {
  const QDir dir(projectDir);
  auto absolute = [&](const char* key) {
    const QString value = json.value(QLatin1String(key)).toString();
    return value.isEmpty() ? QString() : QDir::cleanPath(dir.absoluteFilePath(value));
  };
  OneshotState s;
  s.bFolder = absolute("b_folder");
  s.base = absolute("base");
  s.picture = absolute("picture");
  s.model = absolute("model");
  return s;
}

}  // namespace atelier::ui
