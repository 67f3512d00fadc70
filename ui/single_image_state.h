// single_image_state.h — the Single image & analogy workspace's part of a project: one image
// or a pair, made into new pictures either at once from their patches (instant mode, patchnn:
// the folder of its latest results) or by a model trained on them (SinGAN family, structural
// analogy: the model file).
#pragma once

#include <QJsonObject>
#include <QString>

namespace atelier::ui {

struct SingleImageState {
  static constexpr const char* kWorkspaceId = "single-image";

  bool instant = true;  // patchnn (no training); false: a learned model
  bool pair = false;    // false: one picture (imageA); true: an analogy of imageA and imageB
  QString imageA;       // absolute paths
  QString imageB;
  QString model;    // learned: .atl; empty: none yet
  QString results;  // instant: the folder of the latest results; empty: none yet

  bool operator==(const SingleImageState& o) const {
    return instant == o.instant && pair == o.pair && imageA == o.imageA && imageB == o.imageB &&
           model == o.model && results == o.results;
  }
  bool operator!=(const SingleImageState& o) const { return !(*this == o); }
  QJsonObject toJson(const QString& projectDir) const;
  static SingleImageState fromJson(const QJsonObject& json, const QString& projectDir);
};

}  // namespace atelier::ui
