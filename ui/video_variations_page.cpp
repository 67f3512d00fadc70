#include "video_variations_page.h"

#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QUrl>
#include <QVBoxLayout>
#include <exception>

#include "atelier/error.h"
#include "atelier/patchnn.h"
#include "atelier/video.h"
#include "atelier/videogen.h"
#include "document.h"
#include "fresh_path.h"
#include "image_convert.h"
#include "instant_pictures.h"
#include "job_runner.h"
#include "studio_settings.h"
#include "training_panel.h"
#include "video_player.h"

namespace atelier::ui {
namespace {

constexpr int kColumns = 3;
constexpr int kPreviewEvery = 25;  // training steps between previews in the training panel
// The instant mode's first frame width and length: under half a minute on a laptop CPU.
constexpr int kInstantWidth = 128;
constexpr int kInstantFrames = 26;

}  // namespace

VideoVariationsPage::VideoVariationsPage(JobRunner* runner, QWidget* parent)
    : QWidget(parent),
      runner_(runner),
      settings_(std::make_unique<StudioSettings>()),
      methodChooser_(new QComboBox),
      videoChooser_(new QComboBox),
      countSpin_(new QSpinBox),
      instantSize_(new QWidget),
      widthSpin_(new QSpinBox),
      framesSpin_(new QSpinBox),
      presetChooser_(new QComboBox),
      generateButton_(new QPushButton(tr("Generate variations"))),
      exportMp4Button_(new QPushButton(tr("Export MP4…"))),
      exportGifButton_(new QPushButton(tr("Export GIF…"))),
      openFolderButton_(new QPushButton(tr("Open folder"))),
      statusLabel_(new QLabel),
      placeholder_(new QLabel(tr("The new videos will play here, next to the clip they were "
                                 "learned from."))),
      grid_(new QGridLayout) {
  videoChooser_->setMinimumContentsLength(18);
  videoChooser_->setToolTip(tr("A video of the project (import one with File > Import)"));
  countSpin_->setRange(1, 16);
  countSpin_->setValue(4);
  countSpin_->setToolTip(tr("How many new videos to make"));
  // Instant variations cost about frames x width^2: four of the demo clip at 128 px and 26
  // frames took 20 s on a busy 2-core CPU, the whole clip (320 px, 40 frames) about 4 minutes.
  widthSpin_->setRange(0, 1024);
  widthSpin_->setSingleStep(32);
  widthSpin_->setValue(kInstantWidth);
  widthSpin_->setSpecialValueText(tr("clip's"));
  widthSpin_->setSuffix(tr(" px"));
  widthSpin_->setToolTip(
      tr("Width of the clip's frames as they are read, and of the new videos "
         "(the preset's limit applies). Larger is sharper and slower."));
  framesSpin_->setRange(0, 1000);
  framesSpin_->setValue(kInstantFrames);
  framesSpin_->setSpecialValueText(tr("clip's"));
  framesSpin_->setToolTip(
      tr("Frames of the clip used, and of the new videos (the preset's limit "
         "applies). More is longer and slower."));
  auto* sizeLayout = new QHBoxLayout(instantSize_);
  sizeLayout->setContentsMargins(0, 0, 0, 0);
  sizeLayout->addWidget(new QLabel(tr("Width:")));
  sizeLayout->addWidget(widthSpin_);
  sizeLayout->addWidget(new QLabel(tr("Frames:")));
  sizeLayout->addWidget(framesSpin_);
  methodChooser_->addItem(tr("Instant (patches)"), true);
  methodChooser_->addItem(tr("Learned model (GAN)"), false);
  methodChooser_->setToolTip(
      tr("Instant: new videos from the clip's own space-time patches in seconds, no training. "
         "Learned: a model learns the clip first (minutes), and can be resumed."));
  refreshPresets(QStringLiteral("preview"));
  presetChooser_->setToolTip(
      tr("Instant — tiny: a quick sketch; preview: the clip up to 256 px; standard: larger, for "
         "a GPU. Learned — tiny: seconds, a blurry sketch; preview: minutes on a laptop CPU; "
         "standard and paper: for a GPU"));
  generateButton_->setDefault(true);
  QFont bold = generateButton_->font();
  bold.setBold(true);
  generateButton_->setFont(bold);
  statusLabel_->setWordWrap(true);
  statusLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  auto* controls = new QHBoxLayout;
  controls->addWidget(methodChooser_);
  controls->addWidget(new QLabel(tr("Video:")));
  controls->addWidget(videoChooser_, 1);
  controls->addWidget(new QLabel(tr("Variations:")));
  controls->addWidget(countSpin_);
  controls->addWidget(instantSize_);
  controls->addWidget(new QLabel(tr("Preset:")));
  controls->addWidget(presetChooser_);
  controls->addWidget(generateButton_);

  placeholder_->setAlignment(Qt::AlignCenter);
  placeholder_->setEnabled(false);  // drawn greyed, as a hint
  grid_->addWidget(placeholder_, 0, 0);
  auto* gridHost = new QWidget;
  gridHost->setLayout(grid_);
  auto* scroll = new QScrollArea;
  scroll->setWidgetResizable(true);
  scroll->setWidget(gridHost);

  auto* exports = new QHBoxLayout;
  exports->addWidget(statusLabel_, 1);
  exports->addWidget(exportMp4Button_);
  exports->addWidget(exportGifButton_);
  exports->addWidget(openFolderButton_);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(controls);
  layout->addWidget(scroll, 1);
  layout->addLayout(exports);

  connect(generateButton_, &QPushButton::clicked, this, [this] { generate(); });
  connect(methodChooser_, &QComboBox::currentIndexChanged, this, [this] {
    refreshPresets(presetChooser_->currentText());
    instantSize_->setVisible(isInstant());
  });
  connect(exportMp4Button_, &QPushButton::clicked, this,
          [this] { chooseExport(QStringLiteral("mp4")); });
  connect(exportGifButton_, &QPushButton::clicked, this,
          [this] { chooseExport(QStringLiteral("gif")); });
  connect(openFolderButton_, &QPushButton::clicked, this,
          [this] { QDesktopServices::openUrl(QUrl::fromLocalFile(outputFolder_)); });
  connect(runner_, &JobRunner::started, this, [this] { updateButtons(); });
  connect(runner_, &JobRunner::finished, this, &VideoVariationsPage::onJobFinished);
  connect(runner_, &JobRunner::failed, this, &VideoVariationsPage::onJobFailed);
  statusLabel_->setText(
      tr("Pick a video and press Generate variations: Atelier makes new videos from the clip's "
         "own patches on this computer (or learns a model of it first)."));
  updateButtons();
}

VideoVariationsPage::~VideoVariationsPage() = default;

void VideoVariationsPage::setDocument(Document* document) {
  if (document_) disconnect(document_, nullptr, this, nullptr);
  document_ = document;
  if (document_) {
    connect(document_, &Document::mediaInserted, this, &VideoVariationsPage::refreshVideos);
    connect(document_, &Document::mediaRemoved, this, &VideoVariationsPage::refreshVideos);
  }
  refreshVideos();
}

void VideoVariationsPage::setSettings(const StudioSettings& settings) {
  *settings_ = settings;
  refreshPresets(settings_->preset(QString::fromLatin1(kWorkspaceId)));
}

bool VideoVariationsPage::isInstant() const {
  return methodChooser_->currentData().toBool();
}

void VideoVariationsPage::refreshPresets(const QString& wanted) {
  fillPresetChooser(presetChooser_, {QStringLiteral("videogen")}, isInstant(), wanted);
}

QString VideoVariationsPage::statusText() const {
  return statusLabel_->text();
}

void VideoVariationsPage::refreshVideos() {
  const QString current = videoChooser_->currentData().toString();
  videoChooser_->clear();
  for (int i = 0; document_ && i < document_->mediaCount(); ++i) {
    const MediaItem& item = document_->media(i);
    if (item.kind != MediaKind::Video) continue;
    videoChooser_->addItem(QFileInfo(item.path).fileName(), item.path);
  }
  const int keep = videoChooser_->findData(current);
  if (keep >= 0) videoChooser_->setCurrentIndex(keep);
  updateButtons();
}

bool VideoVariationsPage::generate() {
  const QString video = videoChooser_->currentData().toString();
  if (video.isEmpty()) {
    const QString message =
        tr("The project has no video yet. Import one with File > Import or "
           "drop it on the window.");
    statusLabel_->setText(message);
    Q_EMIT errorOccurred(message);
    return false;
  }
  if (runner_->isRunning()) {
    const QString message = runner_->busyMessage();
    statusLabel_->setText(message);
    Q_EMIT errorOccurred(message);
    return false;
  }
  outputFolder_ = freshPath(settings_->effectiveOutputFolder(),
                            QFileInfo(video).completeBaseName() + QStringLiteral("_variations"));
  auto result = std::make_shared<Result>();
  result->instant = isInstant();
  result_ = result;
  JobSpec spec;
  spec.title = tr("Video variations of %1").arg(QFileInfo(video).fileName());
  spec.owner = this;
  if (isInstant()) {
    atelier::PatchnnVariationsParams params;
    params.clip.video = video.toStdString();
    params.preset = presetChooser_->currentText().toStdString();
    params.out_dir = outputFolder_.toStdString();
    params.n = countSpin_->value();
    params.clip.width = widthSpin_->value();
    params.clip.frames = framesSpin_->value();
    params.compute = settings_->compute();
    spec.run = [params, result](const atelier::Callbacks& callbacks) {
      try {
        atelier::PatchnnVariationsResult r =
            atelier::make_patchnn_video_variations(params, callbacks);
        result->clip = std::move(r.clip);
        result->variations = std::move(r.variations);
        result->seconds = r.seconds;
        return true;
      } catch (const atelier::Error& e) {
        if (e.kind() == atelier::ErrorKind::Cancelled) return false;  // nothing was written
        throw;
      }
    };
  } else {
    atelier::VideoVariationsParams params;
    params.clip.video = video.toStdString();
    params.preset = presetChooser_->currentText().toStdString();
    params.out_dir = outputFolder_.toStdString();
    params.n = countSpin_->value();
    params.compute = settings_->compute();
    params.preview_every = kPreviewEvery;
    auto learn = [params, result](const atelier::Callbacks& callbacks, bool resume) {
      atelier::VideoVariationsParams p = params;
      if (resume) p.resume = result->model;  // the stopped run's resumable file
      atelier::VideoVariationsResult r = atelier::make_video_variations(p, callbacks);
      result->model = r.model;
      result->clip = std::move(r.clip);
      result->variations = std::move(r.variations);
      result->seconds = r.train_seconds;
      return r.finished;
    };
    spec.run = [learn](const atelier::Callbacks& c) { return learn(c, false); };
    spec.resume = [learn](const atelier::Callbacks& c) { return learn(c, true); };
  }
  clearPlayers();
  statusLabel_->setText(
      (isInstant() ? tr("Making variations from the clip's patches (%1 preset) — previews in the "
                        "training panel. Results go to %2.")
                   : tr("Learning the clip (%1 preset) — see the training panel. Results go "
                        "to %2."))
          .arg(presetChooser_->currentText(), outputFolder_));
  return runner_->start(std::move(spec));
}

void VideoVariationsPage::onJobFinished(bool completed) {
  updateButtons();  // whoever's job it was, Generate is free again
  if (runner_->owner() != this) return;
  if (!completed) {
    statusLabel_->setText(result_ && result_->instant
                              ? tr("Stopped; nothing was written.")
                              : tr("Stopped. The model so far is in %1; Resume in the training "
                                   "panel continues it.")
                                    .arg(outputFolder_));
    return;
  }
  showResult();
  Q_EMIT variationsReady(outputFolder_);
}

void VideoVariationsPage::onJobFailed(const QString& message) {
  updateButtons();
  if (runner_->owner() != this) return;
  statusLabel_->setText(tr("Could not make variations: %1").arg(message));
  Q_EMIT errorOccurred(message);
}

void VideoVariationsPage::showResult() {
  clearPlayers();
  placeholder_->hide();
  const Result& r = *result_;
  auto add = [this](const QString& caption, const atelier::Video& video) {
    auto* player = new VideoPlayer(caption);
    player->setFrames(toQImages(video), video.fps);
    const int index = players_.size();
    connect(player, &VideoPlayer::clicked, this, [this, index] { select(index); });
    grid_->addWidget(player, index / kColumns, index % kColumns);
    players_.push_back(player);
  };
  add(r.instant ? tr("Input (as used)") : tr("Input (as learned)"), r.clip);
  for (std::size_t i = 0; i < r.variations.size(); ++i) {
    add(tr("Variation %1").arg(i + 1), r.variations[i]);
  }
  select(players_.size() > 1 ? 1 : -1);
  statusLabel_->setText((r.instant ? tr("Made in %1 s without training; %2 variations of %3×%4 "
                                        "in %5")
                                   : tr("Learned in %1 s; %2 variations of %3×%4 in %5"))
                            .arg(qRound(r.seconds))
                            .arg(r.variations.size())
                            .arg(r.clip.width())
                            .arg(r.clip.height())
                            .arg(outputFolder_));
  updateButtons();
}

void VideoVariationsPage::clearPlayers() {
  for (VideoPlayer* player : std::as_const(players_)) delete player;
  players_.clear();
  selected_ = -1;
  placeholder_->show();
  updateButtons();
}

void VideoVariationsPage::select(int index) {
  selected_ = index;
  for (int i = 0; i < players_.size(); ++i) players_[i]->setSelected(i == index);
  updateButtons();
}

bool VideoVariationsPage::exportVariation(int index, const QString& fileName, QString* error) {
  if (!result_ || index < 0 || index >= static_cast<int>(result_->variations.size())) {
    if (error) *error = tr("There is no variation %1 to export.").arg(index + 1);
    return false;
  }
  try {
    atelier::write_video(result_->variations[index],
                         QDir::toNativeSeparators(fileName).toStdString());
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
  return true;
}

void VideoVariationsPage::chooseExport(const QString& suffix) {
  const int index = selected_ - 1;  // players_[0] is the input
  const QString proposed =
      QDir(outputFolder_).filePath(QStringLiteral("variation_%1.%2").arg(index + 1).arg(suffix));
  const QString fileName = QFileDialog::getSaveFileName(
      this, tr("Export variation %1").arg(index + 1), proposed,
      suffix == QLatin1String("gif") ? tr("Animated GIF (*.gif)") : tr("MP4 video (*.mp4)"));
  if (fileName.isEmpty()) return;
  QString error;
  if (exportVariation(index, fileName, &error)) {
    statusLabel_->setText(tr("Wrote %1").arg(fileName));
  } else {
    statusLabel_->setText(tr("Could not export: %1").arg(error));
    Q_EMIT errorOccurred(error);
  }
}

void VideoVariationsPage::updateButtons() {
  const bool busy = runner_->isRunning();
  generateButton_->setEnabled(!busy && videoChooser_->count() > 0);
  const bool variation = !busy && selected_ >= 1 && selected_ < players_.size();
  exportMp4Button_->setEnabled(variation);
  exportGifButton_->setEnabled(variation);
  openFolderButton_->setEnabled(!outputFolder_.isEmpty() && QFileInfo::exists(outputFolder_));
}

}  // namespace atelier::ui
