// oneshot_state.h — the One-shot translation workspace's part of a project: the B folder (or
// the phase I model trained on it), the A picture shown and translated, and the phase II model
// that translates it.
#pragma once

#include <QJsonObject>
#include <QString>

namespace atelier::ui {

struct OneshotState {
  static constexpr const char* kWorkspaceId = "oneshot";

  QString bFolder;  // the pictures of domain B (absolute); empty: none chosen
  QString base;     // phase I model (.atl) trained on bFolder; empty: none yet
  QString picture;  // the A picture shown (and trained on by Train); empty: none
  QString model;    // phase II model (.atl) that translates A to B; empty: none yet

  bool operator==(const OneshotState& o) const {
    return bFolder == o.bFolder && base == o.base && picture == o.picture && model == o.model;
  }
  bool operator!=(const OneshotState& o) const { return !(*this == o); }
  QJsonObject toJson(const QString& projectDir) const;
  static OneshotState fromJson(const QJsonObject& json, const QString& projectDir);
};

}  // namespace atelier::ui
