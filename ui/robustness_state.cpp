#include "robustness_state.h"

#include <algorithm>

namespace atelier::ui {

QJsonObject RobustnessState::toJson() const {
  QJsonObject json;
  json[QStringLiteral("id")] = QLatin1String(kWorkspaceId);
  json[QStringLiteral("dataset")] = dataset;
  json[QStringLiteral("preset")] = preset;
  json[QStringLiteral("p")] = p;
  json[QStringLiteral("seeds")] = seeds;
  json[QStringLiteral("report")] = report;
  return json;
}

RobustnessState RobustnessState::fromJson(const QJsonObject& json) {
  RobustnessState s;
  s.dataset = json.value(QStringLiteral("dataset")).toString(s.dataset);
  s.preset = json.value(QStringLiteral("preset")).toString(s.preset);
  s.p = std::min(1.0, json.value(QStringLiteral("p")).toDouble(s.p));
  s.seeds = std::max(1, json.value(QStringLiteral("seeds")).toInt(s.seeds));
  s.report = json.value(QStringLiteral("report")).toObject();
  return s;
}

}  // namespace atelier::ui
