#include "robustness_chart.h"

#include <QAreaSeries>
#include <QChart>
#include <QJsonArray>
#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

namespace atelier::ui {
namespace {

const char* const kMeanProperty = "atelierMeanLine";

// The engine's plot colours (plot_padain_report): blue baseline, orange with the layer.
const QColor kBaseline(90, 110, 200);
const QColor kLayer(220, 110, 40);

}  // namespace

RobustnessChart::RobustnessChart(QWidget* parent)
    : QChartView(parent), xAxis_(new QValueAxis), yAxis_(new QValueAxis) {
  auto* chart = new QChart;
  chart->setTitle(tr("Accuracy per corruption severity"));
  chart->legend()->setAlignment(Qt::AlignBottom);
  chart->setMargins(QMargins(4, 4, 4, 4));
  chart->setBackgroundRoundness(0);
  xAxis_->setTitleText(tr("severity (0 = clean; 1–5 averaged over the corruptions)"));
  xAxis_->setRange(0, 5);
  xAxis_->setTickCount(6);
  xAxis_->setLabelFormat(QStringLiteral("%d"));
  yAxis_->setTitleText(tr("accuracy %"));
  yAxis_->setRange(0, 100);
  yAxis_->setLabelFormat(QStringLiteral("%d"));
  chart->addAxis(xAxis_, Qt::AlignBottom);
  chart->addAxis(yAxis_, Qt::AlignLeft);
  setChart(chart);
  setRenderHint(QPainter::Antialiasing);
  setMinimumSize(320, 240);
}

QList<QLineSeries*> RobustnessChart::lines() const {
  QList<QLineSeries*> result;
  for (QAbstractSeries* series : chart()->series()) {
    if (series->property(kMeanProperty).toBool()) result.append(static_cast<QLineSeries*>(series));
  }
  return result;
}

void RobustnessChart::setReport(const QJsonObject& report) {
  chart()->removeAllSeries();  // deletes them
  if (report.isEmpty()) return;
  double lowest = 100;
  const struct {
    const char* key;
    QString name;
    QColor colour;
  } models[] = {
      {"baseline", tr("baseline (p = 0)"), kBaseline},
      {"padain",
       tr("PAdaIN (p = %1)")
           .arg(report.value(QStringLiteral("padain"))
                    .toObject()
                    .value(QStringLiteral("p"))
                    .toDouble()),
       kLayer},
  };
  for (const auto& model : models) {
    const QJsonArray severities = report.value(QLatin1String(model.key))
                                      .toObject()
                                      .value(QStringLiteral("accuracy_by_severity"))
                                      .toArray();
    auto* mean = new QLineSeries;
    auto* upper = new QLineSeries;
    auto* lower = new QLineSeries;
    for (int s = 0; s < severities.size(); ++s) {
      const QJsonObject stats = severities.at(s).toObject();
      const double m = 100 * stats.value(QStringLiteral("mean")).toDouble();
      const double d = 100 * stats.value(QStringLiteral("std")).toDouble();
      mean->append(s, m);
      upper->append(s, std::min(100.0, m + d));
      lower->append(s, std::max(0.0, m - d));
      lowest = std::min(lowest, m - d);
    }
    auto* band = new QAreaSeries(upper, lower);
    upper->setParent(band);  // the band does not own its edges; let it, so they go with it
    lower->setParent(band);
    QColor fill = model.colour;
    fill.setAlpha(50);
    band->setBrush(fill);
    band->setPen(Qt::NoPen);
    chart()->addSeries(band);
    mean->setName(model.name);
    mean->setProperty(kMeanProperty, true);
    mean->setPen(QPen(model.colour, 2.5));
    mean->setPointsVisible(true);
    chart()->addSeries(mean);
    for (QAbstractSeries* series :
         {static_cast<QAbstractSeries*>(band), static_cast<QAbstractSeries*>(mean)}) {
      series->attachAxis(xAxis_);
      series->attachAxis(yAxis_);
    }
    for (QLegendMarker* marker : chart()->legend()->markers(band)) marker->setVisible(false);
  }
  // From a round ten below the lowest value, so that the differences are visible.
  yAxis_->setRange(std::max(0.0, 10.0 * std::floor(lowest / 10.0)), 100);
}

}  // namespace atelier::ui
