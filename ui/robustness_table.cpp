#include "robustness_table.h"

#include <QHeaderView>
#include <QJsonArray>

namespace atelier::ui {
namespace {

// "81.3 ± 2.1 %" (percent) or "98.7 ± 3.0" (a ratio times 100, as the CLI prints CE).
QString stats(const QJsonValue& value, bool percent = true) {
  const QJsonObject s = value.toObject();
  if (s.isEmpty()) return QStringLiteral("–");
  QString text = QStringLiteral("%1 ± %2")
                     .arg(100 * s.value(QStringLiteral("mean")).toDouble(), 0, 'f', 1)
                     .arg(100 * s.value(QStringLiteral("std")).toDouble(), 0, 'f', 1);
  if (percent) text += QStringLiteral(" %");
  return text;
}

}  // namespace

RobustnessTable::RobustnessTable(QWidget* parent) : QTableWidget(parent) {
  setColumnCount(3);
  setEditTriggers(QAbstractItemView::NoEditTriggers);
  setSelectionMode(QAbstractItemView::NoSelection);
  verticalHeader()->hide();
  horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
  horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
  setAlternatingRowColors(true);
  setHorizontalHeaderLabels({tr("Measure"), tr("Baseline (p = 0)"), tr("PAdaIN")});
}

void RobustnessTable::setReport(const QJsonObject& report) {
  clearContents();
  setRowCount(0);
  if (report.isEmpty()) return;
  const QJsonObject base = report.value(QStringLiteral("baseline")).toObject();
  const QJsonObject layer = report.value(QStringLiteral("padain")).toObject();
  setHorizontalHeaderLabels(
      {tr("Measure"), tr("Baseline (p = 0)"),
       tr("PAdaIN (p = %1)").arg(layer.value(QStringLiteral("p")).toDouble())});

  auto add = [this](const QString& label, const QString& a, const QString& b, bool indent) {
    const int row = rowCount();
    insertRow(row);
    setItem(row, 0, new QTableWidgetItem(indent ? QStringLiteral("    ") + label : label));
    for (int column : {1, 2}) {
      auto* item = new QTableWidgetItem(column == 1 ? a : b);
      item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      setItem(row, column, item);
    }
  };
  auto heading = [this](const QString& text) {
    const int row = rowCount();
    insertRow(row);
    auto* item = new QTableWidgetItem(text);
    QFont bold = item->font();
    bold.setBold(true);
    item->setFont(bold);
    setItem(row, 0, item);
    setSpan(row, 0, 1, 3);
  };
  auto both = [&](const QString& label, const QString& key, bool percent, bool indent) {
    add(label, stats(base.value(key), percent), stats(layer.value(key), percent), indent);
  };

  both(tr("clean accuracy"), QStringLiteral("clean_accuracy"), true, false);
  both(tr("mean corruption error"), QStringLiteral("mean_corruption_error"), true, false);
  both(tr("mCE (baseline = 100)"), QStringLiteral("mce"), false, false);

  heading(tr("Per corruption: error over severities 1–5, then CE (baseline = 100)"));
  const QJsonObject baseCorruptions = base.value(QStringLiteral("corruptions")).toObject();
  const QJsonObject layerCorruptions = layer.value(QStringLiteral("corruptions")).toObject();
  for (const QJsonValue& name : report.value(QStringLiteral("corruptions")).toArray()) {
    const QString c = name.toString();
    const QJsonObject b = baseCorruptions.value(c).toObject();
    const QJsonObject l = layerCorruptions.value(c).toObject();
    add(tr("%1 error").arg(c), stats(b.value(QStringLiteral("error"))),
        stats(l.value(QStringLiteral("error"))), true);
    add(tr("%1 CE").arg(c), stats(b.value(QStringLiteral("ce")), false),
        stats(l.value(QStringLiteral("ce")), false), true);
  }

  heading(tr("Accuracy per severity (mean over the corruptions)"));
  const QJsonArray baseSeverity = base.value(QStringLiteral("accuracy_by_severity")).toArray();
  const QJsonArray layerSeverity = layer.value(QStringLiteral("accuracy_by_severity")).toArray();
  for (int s = 0; s < baseSeverity.size(); ++s) {
    add(s == 0 ? tr("clean") : tr("severity %1").arg(s), stats(baseSeverity.at(s)),
        stats(layerSeverity.at(s)), true);
  }

  const QJsonObject baseCross = base.value(QStringLiteral("cross_domain_accuracy")).toObject();
  const QJsonObject layerCross = layer.value(QStringLiteral("cross_domain_accuracy")).toObject();
  if (!baseCross.isEmpty()) {
    heading(tr("Cross-domain accuracy (trained on %1)")
                .arg(report.value(QStringLiteral("dataset")).toString()));
    for (auto it = baseCross.begin(); it != baseCross.end(); ++it)
      add(it.key(), stats(it.value()), stats(layerCross.value(it.key())), true);
  }
}

QString RobustnessTable::cell(const QString& label, int column) const {
  for (int row = 0; row < rowCount(); ++row) {
    const QTableWidgetItem* first = item(row, 0);
    const QTableWidgetItem* wanted = item(row, column);
    if (first && wanted && first->text().trimmed() == label) return wanted->text();
  }
  return {};
}

}  // namespace atelier::ui
