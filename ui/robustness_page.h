// robustness_page.h — the "Robustness report" workspace for Permuted AdaIN: choose the dataset
// (fashion or mnist), the preset, the layer's probability p and the seeds, press Run: the job
// runner trains a baseline and a model with the layer per seed and measures both (progress and
// Cancel in the training panel); then the table of `atelier-cli eval padain` and a plot of the
// accuracy per severity show. The latest report is one undo step and saved with the project.
#pragma once

#include <QJsonObject>
#include <QWidget>
#include <memory>

#include "job_runner.h"
#include "robustness_job.h"
#include "robustness_state.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace atelier::ui {

class Document;
class RobustnessChart;
class RobustnessTable;
struct StudioSettings;

class RobustnessPage : public QWidget {
  Q_OBJECT

 public:
  explicit RobustnessPage(JobRunner* runner, QWidget* parent = nullptr);
  ~RobustnessPage() override;

  void setDocument(Document* document);
  void setSettings(const StudioSettings& settings);
  // The folder holding digits/ (MNIST, Fashion-MNIST, the OpenCV digits sheet) and images/.
  void setDataFolder(const QString& folder);
  QString dataFolder() const { return dataFolder_; }

  // Starts the report with the options shown; false (and a message) when refused.
  bool run();
  RobustnessRequest request() const;

  bool hasReport() const;
  QString statusText() const;
  QComboBox* datasetChooser() const { return datasetChooser_; }
  QComboBox* presetChooser() const { return presetChooser_; }
  QDoubleSpinBox* pSpin() const { return pSpin_; }
  QSpinBox* seedsSpin() const { return seedsSpin_; }
  QLineEdit* overridesEdit() const { return overridesEdit_; }
  QPushButton* runButton() const { return runButton_; }
  RobustnessTable* table() const { return table_; }
  RobustnessChart* chart() const { return chart_; }

 Q_SIGNALS:
  void reportShown();
  void errorOccurred(const QString& message);

 private:
  void onStateChanged();
  void onJobFinished(bool completed);
  void showOptions(const RobustnessState& state);
  void fail(const QString& message);
  void updateControls();

  JobRunner* runner_;
  Document* document_ = nullptr;
  std::unique_ptr<StudioSettings> settings_;
  QString dataFolder_;
  std::shared_ptr<QJsonObject> pending_;  // the running job's report
  RobustnessRequest pendingRequest_;

  QComboBox* datasetChooser_;
  QComboBox* presetChooser_;
  QDoubleSpinBox* pSpin_;
  QSpinBox* seedsSpin_;
  QLineEdit* overridesEdit_;
  QLabel* dataLabel_;
  QPushButton* dataButton_;
  QPushButton* runButton_;
  RobustnessTable* table_;
  RobustnessChart* chart_;
  QLabel* summaryLabel_;
  QLabel* statusLabel_;
};

}  // namespace atelier::ui
