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
