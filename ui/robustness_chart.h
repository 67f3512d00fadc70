// robustness_chart.h — the Permuted AdaIN report's plot (Qt Charts): accuracy per severity (0 =
// clean, 1..5 averaged over the corruptions) of the baseline and of the model with the layer,
// one line each, with the spread over the seeds as a band around it.
#pragma once

#include <QChartView>
#include <QJsonObject>

class QLineSeries;
class QValueAxis;

namespace atelier::ui {

class RobustnessChart : public QChartView {
  Q_OBJECT

 public:
  explicit RobustnessChart(QWidget* parent = nullptr);

  // `report`: the engine's report JSON; empty: clears.
  void setReport(const QJsonObject& report);

  // The mean lines (the bands are not counted): the baseline first, then the layer's.
  QList<QLineSeries*> lines() const;

 private:
  QValueAxis* xAxis_;
  QValueAxis* yAxis_;
};

}  // namespace atelier::ui
