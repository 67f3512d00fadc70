// robustness_state.h — the Robustness report workspace's part of a project: the options of the
// latest Permuted AdaIN report and the report itself (the engine's JSON, as `eval padain --json`
// writes it), so a saved project shows its table and plot again without training.
#pragma once

#include <QJsonObject>
#include <QString>

namespace atelier::ui {

struct RobustnessState {
  static constexpr const char* kWorkspaceId = "robustness";

  QString dataset = QStringLiteral("fashion");  // fashion | mnist
  QString preset = QStringLiteral("preview");
  double p = -1;  // the layer's probability; < 0: the preset's
  int seeds = 3;
  QJsonObject report;  // empty: no report yet

  bool operator==(const RobustnessState& o) const {
    return dataset == o.dataset && preset == o.preset && p == o.p && seeds == o.seeds &&
           report == o.report;
  }
  bool operator!=(const RobustnessState& o) const { return !(*this == o); }
  QJsonObject toJson() const;
  static RobustnessState fromJson(const QJsonObject& json);
};

}  // namespace atelier::ui
