#include "settings_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>

#include "atelier/compute.h"
#include "engine_presets.h"

namespace atelier::ui {

SettingsDialog::SettingsDialog(const StudioSettings& settings,
                               const QList<PresetWorkspace>& workspaces, QWidget* parent)
    : QDialog(parent),
      base_(settings),
      device_(new QComboBox),
      threads_(new QSpinBox),
      processes_(new QSpinBox),
      outputFolder_(new QLineEdit(settings.outputFolder)) {
  setWindowTitle(tr("Preferences"));
  const atelier::SystemInfo system = atelier::system_info();
  device_->addItem(tr("Automatic (GPU when present)"), QStringLiteral("auto"));
  device_->addItem(tr("CPU"), QStringLiteral("cpu"));
  if (system.cuda_available) {
    device_->addItem(tr("GPU: %1").arg(QString::fromStdString(system.cuda_device_name)),
                     QStringLiteral("cuda"));
  }
  device_->setCurrentIndex(std::max(0, device_->findData(settings.device)));

  threads_->setRange(0, std::max(1, QThread::idealThreadCount()));
  threads_->setSpecialValueText(tr("Automatic (fewer while other programs are busy)"));
  threads_->setToolTip(
      tr("Automatic uses every core while the rest of the computer idles and leaves a core to "
         "each other program that keeps one busy, so training never slows to a crawl."));
  threads_->setValue(settings.threads);
  processes_->setRange(1, std::max(1, QThread::idealThreadCount()));
  processes_->setToolTip(
      tr("Attribute transfer and one-shot translation (its phase I) train over this many "
         "processes of this machine, each on its share of the pictures and its share of the "
         "cores."));
  processes_->setValue(settings.processes);

  outputFolder_->setPlaceholderText(StudioSettings::defaultOutputFolder());
  auto* browse = new QPushButton(tr("Browse…"));
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Output folder"),
        outputFolder_->text().isEmpty() ? StudioSettings::defaultOutputFolder()
                                        : outputFolder_->text());
    if (!dir.isEmpty()) outputFolder_->setText(dir);
  });
  auto* folderRow = new QHBoxLayout;
  folderRow->addWidget(outputFolder_, 1);
  folderRow->addWidget(browse);

  auto* form = new QFormLayout;
  form->addRow(tr("Compute on:"), device_);
  form->addRow(tr("CPU threads:"), threads_);
  form->addRow(tr("Training processes:"), processes_);
  for (const PresetWorkspace& workspace : workspaces) {
    auto* chooser = new QComboBox;
    chooser->addItems(enginePresetNames(workspace.methods));
    chooser->setCurrentText(settings.preset(workspace.id));
    form->addRow(tr("Preset for %1:").arg(workspace.name), chooser);
    presets_.insert(workspace.id, chooser);
  }
  form->addRow(tr("Output folder:"), folderRow);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(buttons);
}

StudioSettings SettingsDialog::settings() const {
  StudioSettings s = base_;
  s.device = device_->currentData().toString();
  s.threads = threads_->value();
  s.processes = processes_->value();
  for (auto it = presets_.begin(); it != presets_.end(); ++it) {
    s.presets.insert(it.key(), it.value()->currentText());
  }
  s.outputFolder = outputFolder_->text().trimmed();
  return s;
}

}  // namespace atelier::ui
