#include "robustness_page.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>
#include <algorithm>
#include <exception>

#include "atelier/dataset.h"
#include "atelier/padain.h"
#include "document.h"
#include "engine_presets.h"
#include "robustness_chart.h"
#include "robustness_table.h"
#include "set_state_command.h"
#include "studio_settings.h"

namespace atelier::ui {
namespace {

QStringList splitOverrides(const QString& text) {
  QStringList items;
  for (const QString& item :
       text.split(QRegularExpression(QStringLiteral("[,;\\s]+")), Qt::SkipEmptyParts))
    items.append(item);
  return items;
}

}  // namespace

RobustnessPage::RobustnessPage(JobRunner* runner, QWidget* parent)
    : QWidget(parent),
      runner_(runner),
      settings_(std::make_unique<StudioSettings>()),
      dataFolder_(QString::fromStdString(atelier::default_data_dir())),
      datasetChooser_(new QComboBox),
      presetChooser_(new QComboBox),
      pSpin_(new QDoubleSpinBox),
      seedsSpin_(new QSpinBox),
      overridesEdit_(new QLineEdit),
      dataLabel_(new QLabel),
      dataButton_(new QPushButton(tr("Data folder…"))),
      runButton_(new QPushButton(tr("Run report"))),
      table_(new RobustnessTable),
      chart_(new RobustnessChart),
      summaryLabel_(new QLabel),
      statusLabel_(new QLabel) {
  datasetChooser_->addItem(tr("Fashion-MNIST"), QStringLiteral("fashion"));
  datasetChooser_->addItem(tr("MNIST (and other digit domains)"), QStringLiteral("mnist"));
  QString error;
  presetChooser_->addItems(enginePresetNames({QStringLiteral("padain")}, &error));
  if (!error.isEmpty()) statusLabel_->setText(error);
  pSpin_->setRange(0, 1);  // the engine's range of p
  pSpin_->setDecimals(3);
  pSpin_->setSingleStep(0.01);
  pSpin_->setToolTip(
      tr("The probability with which the layer swaps a sample's feature statistics with another "
         "sample's (the paper: 0.01); the baseline has p = 0"));
  seedsSpin_->setRange(1, PadainReportOptions::kMaxSeeds);
  seedsSpin_->setToolTip(tr("Each model is trained once per seed: mean ± spread over them"));
  overridesEdit_->setPlaceholderText(tr("key=value …"));
  overridesEdit_->setToolTip(
      tr("Preset parameters to override, as atelier-cli's --set (e.g. epochs=1 "
         "train_images=500)"));
  dataLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  summaryLabel_->setWordWrap(true);
  statusLabel_->setWordWrap(true);
  table_->setMinimumWidth(420);

  auto* options = new QHBoxLayout;
  options->addWidget(new QLabel(tr("Dataset:")));
  options->addWidget(datasetChooser_);
  options->addWidget(new QLabel(tr("Preset:")));
  options->addWidget(presetChooser_);
  options->addWidget(new QLabel(tr("p:")));
  options->addWidget(pSpin_);
  options->addWidget(new QLabel(tr("Seeds:")));
  options->addWidget(seedsSpin_);
  options->addWidget(new QLabel(tr("Set:")));
  options->addWidget(overridesEdit_, 1);
  options->addWidget(runButton_);
  auto* data = new QHBoxLayout;
  data->addWidget(new QLabel(tr("Data:")));
  data->addWidget(dataLabel_, 1);
  data->addWidget(dataButton_);

  auto* body = new QSplitter(Qt::Horizontal);
  body->addWidget(table_);
  body->addWidget(chart_);
  body->setStretchFactor(0, 1);
  body->setStretchFactor(1, 1);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(options);
  layout->addLayout(data);
  layout->addWidget(summaryLabel_);
  layout->addWidget(body, 1);
  layout->addWidget(statusLabel_);

  connect(presetChooser_, &QComboBox::currentTextChanged, this, [this](const QString& preset) {
    const double p = presetProbability(preset);
    if (p >= 0) pSpin_->setValue(p);
  });
  connect(dataButton_, &QPushButton::clicked, this, [this] {
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Folder with digits/ and images/"), dataFolder_);
    if (!folder.isEmpty()) setDataFolder(folder);
  });
  connect(runButton_, &QPushButton::clicked, this, [this] { run(); });
  connect(runner_, &JobRunner::started, this, [this] { updateControls(); });
  connect(runner_, &JobRunner::finished, this, &RobustnessPage::onJobFinished);
  connect(runner_, &JobRunner::failed, this, [this](const QString& message) {
    updateControls();
    if (runner_->owner() != this) return;
    pending_.reset();
    fail(tr("The report failed: %1").arg(message));
  });
  setDataFolder(dataFolder_);
  showOptions(RobustnessState{});
  updateControls();
}

RobustnessPage::~RobustnessPage() = default;

void RobustnessPage::setDocument(Document* document) {
  if (document_) disconnect(document_, nullptr, this, nullptr);
  document_ = document;
  if (!document_) return;
  connect(document_, &Document::robustnessChanged, this, &RobustnessPage::onStateChanged);
  statusLabel_->clear();
  onStateChanged();
}

void RobustnessPage::setSettings(const StudioSettings& settings) {
  *settings_ = settings;
}

void RobustnessPage::setDataFolder(const QString& folder) {
  dataFolder_ = folder;
  dataLabel_->setText(QDir::toNativeSeparators(folder));
}

bool RobustnessPage::hasReport() const {
  return document_ && !document_->robustness().report.isEmpty();
}

QString RobustnessPage::statusText() const {
  return statusLabel_->text();
}

void RobustnessPage::fail(const QString& message) {
  statusLabel_->setText(message);
  Q_EMIT errorOccurred(message);
}

RobustnessRequest RobustnessPage::request() const {
  RobustnessRequest r;
  r.dataset = datasetChooser_->currentData().toString();
  r.preset = presetChooser_->currentText();
  r.overrides = splitOverrides(overridesEdit_->text());
  r.p = pSpin_->value();
  r.seeds = seedsSpin_->value();
  r.dataDir = dataFolder_;
  r.compute = settings_->compute();
  return r;
}

void RobustnessPage::showOptions(const RobustnessState& s) {
  const QSignalBlocker a(datasetChooser_), b(presetChooser_);
  datasetChooser_->setCurrentIndex(std::max(0, datasetChooser_->findData(s.dataset)));
  const int preset = presetChooser_->findText(s.preset);
  presetChooser_->setCurrentIndex(
      preset >= 0 ? preset : std::max(0, presetChooser_->findText(QStringLiteral("preview"))));
  pSpin_->setValue(s.p >= 0 ? s.p : presetProbability(presetChooser_->currentText()));
  seedsSpin_->setValue(s.seeds);
}

void RobustnessPage::onStateChanged() {
  if (!document_) return;
  const RobustnessState& s = document_->robustness();
  table_->setReport(s.report);
  chart_->setReport(s.report);
  if (s.report.isEmpty()) {
    summaryLabel_->setText(
        tr("Trains a small classifier with and without the Permuted AdaIN layer (per seed), and "
           "measures both on clean test images, on 10 corruptions at 5 severities and, for "
           "MNIST, on other digit domains. Choose the options and press Run report."));
    return;
  }
  showOptions(s);
  const QJsonObject& r = s.report;
  summaryLabel_->setText(
      tr("Permuted AdaIN report: %1, preset %2, %n seed(s), %3 training and %4 test images, "
         "%5 s. Means ± sample spread over the seeds; CE as ImageNet-C's (the baseline's error "
         "= 100).",
         nullptr, r.value(QStringLiteral("seeds")).toInt())
          .arg(r.value(QStringLiteral("dataset")).toString(),
               r.value(QStringLiteral("preset")).toString())
          .arg(r.value(QStringLiteral("train_images")).toInt())
          .arg(r.value(QStringLiteral("test_images")).toInt())
          .arg(r.value(QStringLiteral("seconds")).toDouble(), 0, 'f', 0));
  Q_EMIT reportShown();
}

bool RobustnessPage::run() {
  if (!document_) return false;
  if (runner_->isRunning()) {
    fail(runner_->busyMessage());
    return false;
  }
  const RobustnessRequest r = request();
  const QString problem = checkRobustnessRequest(r);
  if (!problem.isEmpty()) {
    fail(problem);
    return false;
  }
  pending_ = std::make_shared<QJsonObject>();
  pendingRequest_ = r;
  JobSpec spec;
  spec.title = tr("Robustness report on %1 (p = %2, %n seed(s))", nullptr, r.seeds)
                   .arg(datasetChooser_->currentText())
                   .arg(r.p);
  spec.owner = this;
  spec.run = robustnessJob(r, pending_);
  statusLabel_->setText(
      tr("Training and measuring both models… Cancel in the training panel "
         "stops it."));
  return runner_->start(std::move(spec));
}

void RobustnessPage::onJobFinished(bool completed) {
  updateControls();
  if (runner_->owner() != this || !document_ || !pending_) return;
  const std::shared_ptr<QJsonObject> report = std::move(pending_);
  if (!completed || report->isEmpty()) {
    statusLabel_->setText(tr("Stopped; no report was made."));
    return;
  }
  RobustnessState next;
  next.dataset = pendingRequest_.dataset;
  next.preset = pendingRequest_.preset;
  next.p = pendingRequest_.p;
  next.seeds = pendingRequest_.seeds;
  next.report = *report;
  statusLabel_->setText(tr("Done."));
  document_->undoStack()->push(new SetRobustnessCommand(
      document_, next, tr("Robustness report on %1").arg(pendingRequest_.dataset)));
}

void RobustnessPage::updateControls() {
  const bool busy = runner_->isRunning();
  for (QWidget* w :
       std::initializer_list<QWidget*>{runButton_, datasetChooser_, presetChooser_, pSpin_,
                                       seedsSpin_, overridesEdit_, dataButton_}) {
    w->setEnabled(!busy);
  }
}

}  // namespace atelier::ui
