// transfer_state.h — the Attribute transfer workspace's part of a project: the two galleries,
// the model, and the history of transfers and removals (what was done, not pixels: results are
// rendered again from the model).
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>

namespace atelier::ui {

enum class Domain { A, B };

struct TransferStep {
  enum class Kind { Transfer, Removal };
  Kind kind = Kind::Transfer;
  QString onto;                  // the image changed (absolute path)
  QString from;                  // Transfer: the image whose attribute it gets
  Domain attribute = Domain::A;  // Transfer: whose attribute (from's gallery)

  bool operator==(const TransferStep& o) const {
    return kind == o.kind && onto == o.onto && from == o.from && attribute == o.attribute;
  }
  // A stable text naming the step (cache and render keys).
  QString key() const;
};

// The Latent sliders workspace (it renders with the transfer model): the image, the second image
// the common code moves toward, and the slider values.
struct SliderState {
  static constexpr const char* kWorkspaceId = "latent-sliders";
  enum Field { StrengthA, StrengthB, Toward, FieldCount };

  QString image;
  QString second;
  double values[FieldCount] = {1.0, 1.0, 0.0};  // strengths in [0, 2], toward in [0, 1]

  bool operator==(const SliderState& o) const {
    return image == o.image && second == o.second && values[0] == o.values[0] &&
           values[1] == o.values[1] && values[2] == o.values[2];
  }
  QJsonObject toJson(const QString& projectDir) const;
  static SliderState fromJson(const QJsonObject& json, const QString& projectDir);
};

struct TransferState {
  static constexpr const char* kWorkspaceId = "attribute-transfer";

  QStringList galleryA;  // absolute paths
  QStringList galleryB;
  QString model;  // .atl (absolute); empty: none yet
  QVector<TransferStep> history;

  QStringList& gallery(Domain d) { return d == Domain::A ? galleryA : galleryB; }
  const QStringList& gallery(Domain d) const { return d == Domain::A ? galleryA : galleryB; }
  bool operator==(const TransferState& o) const {
    return galleryA == o.galleryA && galleryB == o.galleryB && model == o.model &&
           history == o.history;
  }

  // Paths relative to `projectDir` in the file. fromJson: false and *problem on a bad entry.
  QJsonObject toJson(const QString& projectDir) const;
  static bool fromJson(const QJsonObject& json, const QString& projectDir, TransferState* state,
                       QString* problem);
};

}  // namespace atelier::ui
