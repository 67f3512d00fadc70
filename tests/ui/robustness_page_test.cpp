// The "Robustness report" workspace through the real main window (offscreen): a tiny Permuted
// AdaIN report on MNIST (the tiny preset, one seed) runs as a job with progress, then shows the
// CLI's table (clean accuracy, corruption errors and CE, accuracy per severity, the other digit
// domains) and a chart of accuracy per severity with one line per model; the report is one undo
// step and saved with the project; Cancel stops a report without changing the shown one; bad
// options and a data folder without the data give a message.
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QJsonArray>
#include <QLineEdit>
#include <QLineSeries>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>
#include <memory>

#include "atelier/preset.h"
#include "document.h"
#include "job_runner.h"
#include "main_window.h"
#include "robustness_chart.h"
#include "robustness_page.h"
#include "robustness_table.h"
#include "training_panel.h"
#include "ui_test_support.h"

using namespace atelier::ui;

namespace {

constexpr int kJobTimeoutMs = 300000;

}  // namespace

class RobustnessTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    test::isolateSettings();
    window_ = std::make_unique<MainWindow>();
    window_->resize(1280, 820);
    window_->show();
    test::useTestSettings(*window_, out_.path());
    QVERIFY(window_->showWorkspace(QString::fromLatin1(RobustnessState::kWorkspaceId)));
  }
  void cleanupTestCase() { window_.reset(); }

  void optionsComeFromTheEngine() {
    RobustnessPage* page = window_->robustnessPage();
    const std::vector<std::string> engine = atelier::list_presets("padain");
    QCOMPARE(page->presetChooser()->count(), int(engine.size()));
    QCOMPARE(page->datasetChooser()->count(), 2);
    QCOMPARE(page->pSpin()->minimum(), 0.0);
    QCOMPARE(page->pSpin()->maximum(), 1.0);
    QCOMPARE(page->seedsSpin()->minimum(), 1);
    // Choosing a preset shows its own p.
    page->presetChooser()->setCurrentText(QStringLiteral("tiny"));
    QCOMPARE(page->pSpin()->value(), 0.01);
    QVERIFY(!page->hasReport());
    QCOMPARE(page->table()->rowCount(), 0);
    QCOMPARE(page->chart()->lines().size(), 0);
  }

  void badOptionsGiveAMessage() {
    RobustnessPage* page = window_->robustnessPage();
    QSignalSpy errors(window_.get(), &MainWindow::errorShown);
    page->presetChooser()->setCurrentText(QStringLiteral("tiny"));
    page->overridesEdit()->setText(QStringLiteral("epochs=0"));
    QVERIFY(!page->run());
    QVERIFY2(page->statusText().contains(QStringLiteral("epochs")), qPrintable(page->statusText()));
    page->overridesEdit()->clear();
    // A data folder without MNIST: the job fails at once, with a message naming what is missing.
    QTemporaryDir empty;
    const QString data = page->dataFolder();
    page->setDataFolder(empty.path());
    page->datasetChooser()->setCurrentIndex(page->datasetChooser()->findData("mnist"));
    QSignalSpy failed(window_->jobRunner(), &JobRunner::failed);
    QVERIFY(page->run());
    QVERIFY(failed.wait(kJobTimeoutMs));
    QVERIFY(page->statusText().startsWith(QStringLiteral("The report failed")));
    QVERIFY(errors.count() >= 2);
    page->setDataFolder(data);
    QVERIFY(!page->hasReport());
  }

  void aTinyReportShowsTheTableAndTheChart() {
    RobustnessPage* page = window_->robustnessPage();
    Document* document = window_->document();
    page->datasetChooser()->setCurrentIndex(page->datasetChooser()->findData("mnist"));
    page->presetChooser()->setCurrentText(QStringLiteral("tiny"));
    page->pSpin()->setValue(0.3);
    page->seedsSpin()->setValue(1);
    QSignalSpy shown(page, &RobustnessPage::reportShown);
    QSignalSpy progressed(window_->jobRunner(), &JobRunner::progressed);
    QVERIFY(page->run());
    QVERIFY(!page->runButton()->isEnabled());
    QVERIFY(shown.wait(kJobTimeoutMs));
    QVERIFY(page->runButton()->isEnabled());
    QSet<QString> phases;
    for (const QList<QVariant>& p : progressed)
      phases.insert(QString::fromStdString(p.at(0).value<atelier::Progress>().phase));
    QVERIFY(phases.contains(QStringLiteral("corrupt")));
    QVERIFY(phases.contains(QStringLiteral("train")));
    QVERIFY(phases.contains(QStringLiteral("measure")));
    QCOMPARE(window_->trainingPanel()->progressPermille(), 1000);

    // The table: the CLI's rows, mean ± spread for both models.
    RobustnessTable* table = page->table();
    const QRegularExpression percent(QStringLiteral("^\\d+\\.\\d ± \\d+\\.\\d %$"));
    const QRegularExpression ratio(QStringLiteral("^\\d+\\.\\d ± \\d+\\.\\d$"));
    for (int column : {1, 2}) {
      for (const char* row : {"clean accuracy", "mean corruption error", "gaussian_noise error",
                              "severity 5", "mnist-m", "opencv-digits"}) {
        QVERIFY2(percent.match(table->cell(QLatin1String(row), column)).hasMatch(),
                 qPrintable(QStringLiteral("%1: '%2'")
                                .arg(QLatin1String(row), table->cell(QLatin1String(row), column))));
      }
      QVERIFY(ratio.match(table->cell(QStringLiteral("mCE (baseline = 100)"), column)).hasMatch());
    }
    const QJsonObject report = document->robustness().report;
    const QJsonArray corruptions = report.value(QStringLiteral("corruptions")).toArray();
    QCOMPARE(corruptions.size(), 10);
    // 3 overall rows, 2 per corruption, 6 severities, 2 other domains and 3 headings.
    QCOMPARE(table->rowCount(), 3 + 2 * 10 + 6 + 2 + 3);
    QCOMPARE(table->horizontalHeaderItem(2)->text(), QStringLiteral("PAdaIN (p = 0.3)"));
    const double clean = report.value(QStringLiteral("baseline"))
                             .toObject()
                             .value(QStringLiteral("clean_accuracy"))
                             .toObject()
                             .value(QStringLiteral("mean"))
                             .toDouble();
    QVERIFY(clean > 0.3);  // a trained classifier, well above chance (10 %)
    QVERIFY(table->cell(QStringLiteral("clean accuracy"), 1)
                .startsWith(QString::number(100 * clean, 'f', 1)));
    QVERIFY(table->cell(QStringLiteral("mCE (baseline = 100)"), 1).startsWith("100.0"));

    // The chart: one line per model, clean and 5 severities, the worst below the clean one.
    const QList<QLineSeries*> lines = page->chart()->lines();
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines[0]->name(), QStringLiteral("baseline (p = 0)"));
    QCOMPARE(lines[1]->name(), QStringLiteral("PAdaIN (p = 0.3)"));
    for (QLineSeries* line : lines) {
      QCOMPARE(line->count(), 6);
      QVERIFY(line->at(5).y() < line->at(0).y());
    }
    QVERIFY(qAbs(lines[0]->at(0).y() - 100 * clean) < 1e-6);

    // One undo step; saved with the project.
    QUndoStack* undo = document->undoStack();
    undo->undo();
    QVERIFY(!page->hasReport());
    QCOMPARE(table->rowCount(), 0);
    QCOMPARE(page->chart()->lines().size(), 0);
    undo->redo();
    QCOMPARE(page->chart()->lines().size(), 2);
    const QString file = out_.filePath(QStringLiteral("robustness.atelier"));
    QString error;
    QVERIFY2(document->save(file, &error), qPrintable(error));
    std::unique_ptr<Document> reopened = Document::open(file, &error);
    QVERIFY2(reopened, qPrintable(error));
    QVERIFY(reopened->robustness() == document->robustness());
    QCOMPARE(reopened->robustness().seeds, 1);
    QCOMPARE(reopened->robustness().dataset, QStringLiteral("mnist"));
  }

  void cancelStopsAndKeepsTheShownReport() {
    RobustnessPage* page = window_->robustnessPage();
    Document* document = window_->document();
    JobRunner* runner = window_->jobRunner();
    const QJsonObject before = document->robustness().report;
    const int steps = document->undoStack()->count();
    page->seedsSpin()->setValue(2);
    auto cancelOnTraining =
        connect(runner, &JobRunner::progressed, runner, [runner](const atelier::Progress& p) {
          if (p.phase == "train") runner->cancel();
        });
    QSignalSpy finished(runner, &JobRunner::finished);
    QVERIFY(page->run());
    QVERIFY(finished.wait(kJobTimeoutMs));
    disconnect(cancelOnTraining);
    QCOMPARE(finished.first().at(0).toBool(), false);
    QVERIFY(page->statusText().startsWith(QStringLiteral("Stopped")));
    QCOMPARE(document->undoStack()->count(), steps);
    QCOMPARE(document->robustness().report, before);
    QCOMPARE(page->chart()->lines().size(), 2);
  }

 private:
  QTemporaryDir out_;
  std::unique_ptr<MainWindow> window_;
};

QTEST_MAIN(RobustnessTest)
#include "robustness_page_test.moc"
