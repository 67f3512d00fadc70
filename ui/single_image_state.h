// single_image_state.h — the Single image & analogy workspace's part of a project: one image
// (SinGAN family) or a pair (structural analogy), and the model trained on it.
#pragma once

#include <QJsonObject>
#include <QString>

namespace atelier::ui {

struct SingleImageState {
  static constexpr const char* kWorkspaceId = "single-image";

  bool pair = false;  // false: singan on imageA; true: analogy between imageA and imageB
  QString imageA;     // absolute paths
  QString imageB;
  QString model;  // .atl; empty: none yet

  bool operator==(const SingleImageState& o) const {
    return pair == o.pair && imageA == o.imageA && imageB == o.imageB && model == o.model;
  }
  bool operator!=(const SingleImageState& o) const { return !(*this == o); }
  QJsonObject toJson(const QString& projectDir) const;
  static SingleImageState fromJson(const QJsonObject& json, const QString& projectDir);
};

}  // namespace atelier::ui
