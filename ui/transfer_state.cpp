#include "transfer_state.h"

#include <QDir>
#include <QJsonArray>
#include <algorithm>

namespace atelier::ui {
namespace {

QJsonArray relativePaths(const QDir& dir, const QStringList& paths) {
  QJsonArray array;
  for (const QString& path : paths) array.append(dir.relativeFilePath(path));
  return array;
}

QStringList absolutePaths(const QDir& dir, const QJsonArray& array) {
  QStringList paths;
  for (const QJsonValue& value : array) {
    paths.append(QDir::cleanPath(dir.absoluteFilePath(value.toString())));
  }
  return paths;
}

}  // namespace

QString TransferStep::key() const {
  if (kind == Kind::Removal) return QStringLiteral("remove|") + onto;
  return QStringLiteral("transfer|%1|%2|%3")
      .arg(attribute == Domain::A ? QLatin1Char('a') : QLatin1Char('b'))
      .arg(from, onto);
}

QJsonObject TransferState::toJson(const QString& projectDir) const {
  const QDir dir(projectDir);
  QJsonArray steps;
  for (const TransferStep& step : history) {
    QJsonObject entry;
    entry[QStringLiteral("onto")] = dir.relativeFilePath(step.onto);
    if (step.kind == TransferStep::Kind::Removal) {
      entry[QStringLiteral("kind")] = QStringLiteral("removal");
    } else {
      entry[QStringLiteral("kind")] = QStringLiteral("transfer");
      entry[QStringLiteral("from")] = dir.relativeFilePath(step.from);
      entry[QStringLiteral("attribute")] =
          step.attribute == Domain::A ? QStringLiteral("a") : QStringLiteral("b");
    }
    steps.append(entry);
  }
  QJsonObject json;
  json[QStringLiteral("id")] = QLatin1String(kWorkspaceId);
  json[QStringLiteral("a")] = relativePaths(dir, galleryA);
  json[QStringLiteral("b")] = relativePaths(dir, galleryB);
  json[QStringLiteral("model")] = model.isEmpty() ? QString() : dir.relativeFilePath(model);
  json[QStringLiteral("history")] = steps;
  return json;
}

bool TransferState::fromJson(const QJsonObject& json, const QString& projectDir,
                             TransferState* state, QString* problem) {
  const QDir dir(projectDir);
  TransferState s;
  s.galleryA = absolutePaths(dir, json.value(QStringLiteral("a")).toArray());
  s.galleryB = absolutePaths(dir, json.value(QStringLiteral("b")).toArray());
  const QString model = json.value(QStringLiteral("model")).toString();
  if (!model.isEmpty()) s.model = QDir::cleanPath(dir.absoluteFilePath(model));
  const QJsonArray steps = json.value(QStringLiteral("history")).toArray();
  for (int i = 0; i < steps.size(); ++i) {
    const QJsonObject entry = steps[i].toObject();
    TransferStep step;
    const QString kind = entry.value(QStringLiteral("kind")).toString();
    const QString onto = entry.value(QStringLiteral("onto")).toString();
    if (onto.isEmpty()) {
      *problem = QStringLiteral("transfer history entry %1 has no \"onto\"").arg(i);
      return false;
    }
    step.onto = QDir::cleanPath(dir.absoluteFilePath(onto));
    if (kind == QLatin1String("removal")) {
      step.kind = TransferStep::Kind::Removal;
    } else if (kind == QLatin1String("transfer")) {
      const QString from = entry.value(QStringLiteral("from")).toString();
      const QString attribute = entry.value(QStringLiteral("attribute")).toString();
      if (from.isEmpty() || (attribute != QLatin1String("a") && attribute != QLatin1String("b"))) {
        *problem = QStringLiteral(
                       "transfer history entry %1 needs \"from\" and \"attribute\" "
                       "(a or b)")
                       .arg(i);
        return false;
      }
      step.from = QDir::cleanPath(dir.absoluteFilePath(from));
      step.attribute = attribute == QLatin1String("a") ? Domain::A : Domain::B;
    } else {
      *problem =
          QStringLiteral("transfer history entry %1 has an unknown kind \"%2\"").arg(i).arg(kind);
      return false;
    }
    s.history.append(step);
  }
  *state = s;
  return true;
}

QJsonObject SliderState::toJson(const QString& projectDir) const {
  const QDir dir(projectDir);
  QJsonObject json;
  json[QStringLiteral("id")] = QLatin1String(kWorkspaceId);
  json[QStringLiteral("image")] = image.isEmpty() ? QString() : dir.relativeFilePath(image);
  json[QStringLiteral("second")] = second.isEmpty() ? QString() : dir.relativeFilePath(second);
  json[QStringLiteral("strength_a")] = values[StrengthA];
  json[QStringLiteral("strength_b")] = values[StrengthB];
  json[QStringLiteral("toward")] = values[Toward];
  return json;
}

SliderState SliderState::fromJson(const QJsonObject& json, const QString& projectDir) {
  const QDir dir(projectDir);
  SliderState s;
  auto path = [&](const char* key) {
    const QString value = json.value(QLatin1String(key)).toString();
    return value.isEmpty() ? QString() : QDir::cleanPath(dir.absoluteFilePath(value));
  };
  s.image = path("image");
  s.second = path("second");
  // Out-of-range numbers (a hand-edited file) are clamped, not refused.
  s.values[StrengthA] =
      std::clamp(json.value(QStringLiteral("strength_a")).toDouble(1.0), 0.0, 2.0);
  s.values[StrengthB] =
      std::clamp(json.value(QStringLiteral("strength_b")).toDouble(1.0), 0.0, 2.0);
  s.values[Toward] = std::clamp(json.value(QStringLiteral("toward")).toDouble(0.0), 0.0, 1.0);
  return s;
}

}  // namespace atelier::ui
