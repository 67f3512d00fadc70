#include "loss_chart.h"

#include <QChart>
#include <QLineSeries>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <limits>

namespace atelier::ui {

LossChart::LossChart(QWidget* parent)
    : QChartView(parent), xAxis_(new QValueAxis), yAxis_(new QValueAxis) {
  auto* chart = new QChart;
  chart->legend()->setAlignment(Qt::AlignRight);
  chart->setMargins(QMargins(4, 4, 4, 4));
  chart->setBackgroundRoundness(0);
  xAxis_->setTitleText(tr("seconds"));
  xAxis_->setLabelFormat(QStringLiteral("%.3g"));
  yAxis_->setLabelFormat(QStringLiteral("%.2g"));
  chart->addAxis(xAxis_, Qt::AlignBottom);
  chart->addAxis(yAxis_, Qt::AlignLeft);
  setChart(chart);
  setRenderHint(QPainter::Antialiasing);
  setMinimumHeight(160);
  clear();
}

void LossChart::clear() {
  chart()->removeAllSeries();  // deletes them
  series_.clear();
  xAxis_->setRange(0, 10);
  yAxis_->setRange(0, 1);
}

void LossChart::addPoint(double seconds,
                         const std::vector<std::pair<std::string, double>>& losses) {
  for (const auto& [name, value] : losses) {
    if (!std::isfinite(value)) continue;
    const QString key = QString::fromStdString(name);
    QLineSeries* s = series_.value(key, nullptr);
    if (!s) {
      s = new QLineSeries;
      s->setName(key);
      chart()->addSeries(s);
      s->attachAxis(xAxis_);
      s->attachAxis(yAxis_);
      series_.insert(key, s);
    }
    if (s->count() >= kMaxPoints) {
      QList<QPointF> kept;
      const QList<QPointF> points = s->points();
      for (int i = 0; i < points.size(); i += 2) kept.append(points[i]);
      s->replace(kept);
    }
    s->append(seconds, value);
  }
  fitAxes();
}

void LossChart::fitAxes() {
  double x1 = 0, y0 = std::numeric_limits<double>::max(),
         y1 = std::numeric_limits<double>::lowest();
  for (const QLineSeries* s : std::as_const(series_)) {
    for (const QPointF& p : s->points()) {
      x1 = std::max(x1, p.x());
      y0 = std::min(y0, p.y());
      y1 = std::max(y1, p.y());
    }
  }
  if (y0 > y1) return;
  const double pad = std::max(1e-6, 0.05 * (y1 - y0));
  xAxis_->setRange(0, std::max(10.0, x1));
  yAxis_->setRange(y0 - pad, y1 + pad);
}

}  // namespace atelier::ui
