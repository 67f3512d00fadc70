#include "single_image_state.h"

#include <QDir>

namespace atelier::ui {

QJsonObject SingleImageState::toJson(const QString& projectDir) const {
  const QDir dir(projectDir);
  auto relative = [&](const QString& path) {
    return path.isEmpty() ? QString() : dir.relativeFilePath(path);
  };
  QJsonObject json;
  json[QStringLiteral("id")] = QLatin1String(kWorkspaceId);
  json[QStringLiteral("method")] = instant ? QStringLiteral("instant") : QStringLiteral("learned");
  json[QStringLiteral("pair")] = pair;
  json[QStringLiteral("a")] = relative(imageA);
  json[QStringLiteral("b")] = relative(imageB);
  json[QStringLiteral("model")] = relative(model);
  json[QStringLiteral("results")] = relative(results);
  return json;
}

SingleImageState SingleImageState::fromJson(const QJsonObject& json, const QString& projectDir) {
  const QDir dir(projectDir);
  auto absolute = [&](const char* key) {
    const QString value = json.value(QLatin1String(key)).toString();
    return value.isEmpty() ? QString() : QDir::cleanPath(dir.absoluteFilePath(value));
  };
  SingleImageState s;
  s.pair = json.value(QStringLiteral("pair")).toBool(false);
  s.imageA = absolute("a");
  s.imageB = absolute("b");
  s.model = absolute("model");
  s.results = absolute("results");
  // Projects saved before the instant mode existed hold a learned model when they hold any.
  const QString method = json.value(QStringLiteral("method")).toString();
  s.instant = method.isEmpty() ? s.model.isEmpty() : method == QLatin1String("instant");
  return s;
}

}  // namespace atelier::ui
