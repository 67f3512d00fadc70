// loss_chart.h — live training loss curves (Qt Charts): one line per named loss against time.
#pragma once

#include <QChartView>
#include <QHash>
#include <utility>
#include <vector>

class QLineSeries;
class QValueAxis;

namespace atelier::ui {

class LossChart : public QChartView {
  Q_OBJECT

 public:
  explicit LossChart(QWidget* parent = nullptr);

  void clear();
  // Adds one point per loss at `seconds`. A loss seen for the first time gets its own line.
  void addPoint(double seconds, const std::vector<std::pair<std::string, double>>& losses);

  int seriesCount() const { return series_.size(); }

  // Each line keeps at most this many points: beyond it, every other old point is dropped, so
  // a long training costs the chart the same as a short one.
  static constexpr int kMaxPoints = 400;

 private:
  void fitAxes();

  QHash<QString, QLineSeries*> series_;
  QValueAxis* xAxis_;
  QValueAxis* yAxis_;
};

}  // namespace atelier::ui
