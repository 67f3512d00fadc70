// robustness_table.h — the Permuted AdaIN report as a table, the rows `atelier-cli eval padain`
// prints: clean accuracy, mean corruption error, mCE, per corruption its error and CE, accuracy
// per severity and, for digits, the accuracy on other domains; each as mean ± spread over the
// seeds, for the baseline and the model with the layer.
#pragma once

#include <QJsonObject>
#include <QTableWidget>

namespace atelier::ui {

class RobustnessTable : public QTableWidget {
  Q_OBJECT

 public:
  explicit RobustnessTable(QWidget* parent = nullptr);

  // `report`: the engine's report JSON (atelier::to_json(PadainReport)); empty: clears.
  void setReport(const QJsonObject& report);

  // The text of the row whose first column is `label` (column 1: baseline, 2: with the layer);
  // empty when there is no such row.
  QString cell(const QString& label, int column) const;
};

}  // namespace atelier::ui
