#include "oneshot_page.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>
#include <exception>

#include "atelier/image.h"
#include "atelier/oneshot.h"
#include "document.h"
#include "drop_canvas.h"
#include "engine_presets.h"
#include "fresh_path.h"
#include "image_canvas.h"
#include "image_convert.h"
#include "media_item.h"
#include "oneshot_job.h"
#include "set_state_command.h"
#include "studio_settings.h"

namespace atelier::ui {
namespace {

constexpr int kPreviewEvery = 50;  // training steps between previews
constexpr qreal kMaxZoom = 12;     // the models are small (16 to 128 px): show them large

int picturesIn(const QString& folder) {
  int n = 0;
  const QFileInfoList entries = QDir(folder).entryInfoList(QDir::Files | QDir::Readable);
  for (const QFileInfo& entry : entries) {
    MediaKind kind;
    n += mediaKindForFile(entry.filePath(), &kind) && kind == MediaKind::Image;
  }
  return n;
}

QString fileName(const QString& path) {
  return QFileInfo(path).fileName();
}

}  // namespace

OneshotPage::OneshotPage(JobRunner* runner, QWidget* parent)
    : QWidget(parent),
      runner_(runner),
      settings_(std::make_unique<StudioSettings>()),
      renderer_(new PreviewRenderer(this)),
      bLabel_(new QLabel),
      folderButton_(new QPushButton(tr("Choose B folder…"))),
      modelButton_(new QPushButton(tr("Use a model…"))),
      presetChooser_(new QComboBox),
      trainButton_(new QPushButton(tr("Train"))),
      pictureButton_(new QPushButton(tr("Open picture…"))),
      pictureLabel_(new QLabel),
      modelLabel_(new QLabel),
      pictureCanvas_(new DropCanvas),
      translationCanvas_(new ImageCanvas),
      statusLabel_(new QLabel) {
  folderButton_->setToolTip(tr("A folder of pictures of domain B, all of one size"));
  modelButton_->setToolTip(
      tr("A oneshot model file: phase I (trained on a B folder) to train a translation from, or "
         "phase II (a translation) to use at once"));
  presetChooser_->setToolTip(tr("Network size and training length (tiny: seconds, for a try)"));
  trainButton_->setToolTip(
      tr("Phase I learns the B pictures (once per folder); phase II adapts it to the A picture"));
  refreshPresets(QStringLiteral("preview"));
  bLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  statusLabel_->setWordWrap(true);
  pictureCanvas_->setMaxZoom(kMaxZoom);
  translationCanvas_->setMaxZoom(kMaxZoom);
  pictureCanvas_->setToolTip(tr("Drop a picture of domain A here"));

  auto* top = new QHBoxLayout;
  top->addWidget(new QLabel(tr("B pictures:")));
  top->addWidget(bLabel_, 1);
  top->addWidget(folderButton_);
  top->addWidget(modelButton_);
  top->addSpacing(12);
  top->addWidget(new QLabel(tr("Preset:")));
  top->addWidget(presetChooser_);
  top->addWidget(trainButton_);

  auto* body = new QGridLayout;
  auto* pictureHead = new QHBoxLayout;
  pictureHead->addWidget(pictureLabel_, 1);
  pictureHead->addWidget(pictureButton_);
  body->addLayout(pictureHead, 0, 0);
  body->addWidget(modelLabel_, 0, 2);
  body->addWidget(pictureCanvas_, 1, 0);
  auto* arrow = new QLabel(QStringLiteral("→"));
  QFont big = arrow->font();
  big.setPointSizeF(big.pointSizeF() * 2.5);
  arrow->setFont(big);
  body->addWidget(arrow, 1, 1);
  body->addWidget(translationCanvas_, 1, 2);
  body->setColumnStretch(0, 1);
  body->setColumnStretch(2, 1);
  body->setRowStretch(1, 1);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addLayout(body, 1);
  layout->addWidget(statusLabel_);

  connect(folderButton_, &QPushButton::clicked, this, [this] {
    const QString start = document_ && !document_->oneshot().bFolder.isEmpty()
                              ? document_->oneshot().bFolder
                              : QDir::homePath();
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Folder of B pictures"), start);
    if (!folder.isEmpty()) chooseBFolder(folder);
  });
  connect(modelButton_, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Use a oneshot model"),
                                                      settings_->effectiveOutputFolder(),
                                                      tr("Atelier models (*.atl)"));
    if (!path.isEmpty()) useModelFile(path);
  });
  connect(pictureButton_, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("A picture of domain A"),
                                                      QDir::homePath(), mediaFileDialogFilter());
    if (!path.isEmpty()) dropPicture(path);
  });
  connect(pictureCanvas_, &DropCanvas::fileDropped, this, &OneshotPage::dropPicture);
  connect(trainButton_, &QPushButton::clicked, this, [this] { train(); });
  connect(renderer_, &PreviewRenderer::rendered, this,
          [this](const QString& key, const RenderOutput& output) { onRendered(key, output); });
  connect(renderer_, &PreviewRenderer::renderFailed, this,
          [this](const QString& key, const QString& message) {
            if (key != wantedKey_) return;
            translationCanvas_->setMessage(tr("No translation"));
            fail(message);
          });
  connect(runner_, &JobRunner::started, this, [this] { updateControls(); });
  connect(runner_, &JobRunner::finished, this, &OneshotPage::onJobFinished);
  connect(runner_, &JobRunner::failed, this, [this](const QString& message) {
    updateControls();
    if (runner_->owner() == this) fail(tr("Training failed: %1").arg(message));
  });
  updateControls();
}

OneshotPage::~OneshotPage() = default;

void OneshotPage::setDocument(Document* document) {
  if (document_) disconnect(document_, nullptr, this, nullptr);
  document_ = document;
  if (!document_) return;
  connect(document_, &Document::oneshotChanged, this, &OneshotPage::onStateChanged);
  modelPath_.clear();
  translator_.reset();
  statusLabel_->clear();
  onStateChanged();
}

void OneshotPage::setSettings(const StudioSettings& settings) {
  *settings_ = settings;
  refreshPresets(settings_->preset(QString::fromLatin1(OneshotState::kWorkspaceId)));
}

QString OneshotPage::statusText() const {
  return statusLabel_->text();
}

void OneshotPage::refreshPresets(const QString& wanted) {
  const QSignalBlocker blocker(presetChooser_);
  presetChooser_->clear();
  QString error;
  presetChooser_->addItems(enginePresetNames({QStringLiteral("oneshot")}, &error));
  if (!error.isEmpty()) statusLabel_->setText(error);
  const int wantedIndex = presetChooser_->findText(wanted);
  const int preview = presetChooser_->findText(QStringLiteral("preview"));
  presetChooser_->setCurrentIndex(wantedIndex >= 0 ? wantedIndex : std::max(0, preview));
}

void OneshotPage::fail(const QString& message) {
  statusLabel_->setText(message);
  Q_EMIT errorOccurred(message);
}

void OneshotPage::push(const OneshotState& next, const QString& text) {
  if (!document_ || next == document_->oneshot()) return;
  document_->undoStack()->push(new SetOneshotCommand(document_, next, text));
}

bool OneshotPage::chooseBFolder(const QString& folder) {
  if (!document_) return false;
  const QFileInfo info(folder);
  if (!info.isDir()) {
    fail(tr("%1 is not a folder.").arg(QDir::toNativeSeparators(folder)));
    return false;
  }
  const int pictures = picturesIn(folder);
  if (pictures < 2) {
    fail(pictures == 0 ? tr("%1 holds no pictures; choose a folder of B pictures (at least two).")
                             .arg(QDir::toNativeSeparators(folder))
                       : tr("%1 holds only one picture; phase I needs at least two.")
                             .arg(QDir::toNativeSeparators(folder)));
    return false;
  }
  OneshotState next = document_->oneshot();
  const QString path = QDir::cleanPath(info.absoluteFilePath());
  if (path == next.bFolder) return true;
  next.bFolder = path;
  next.base.clear();  // both models learned another B
  next.model.clear();
  push(next, tr("Use the B pictures of %1").arg(info.fileName()));
  statusLabel_->setText(
      tr("%n B picture(s) in %1. Drop a picture of domain A and press Train.", nullptr, pictures)
          .arg(QDir::toNativeSeparators(path)));
  return true;
}

bool OneshotPage::useModelFile(const QString& path) {
  if (!document_) return false;
  atelier::OneshotFileState file;
  try {
    file = atelier::oneshot_file_state(path.toStdString());
  } catch (const std::exception& e) {
    fail(QString::fromStdString(e.what()));
    return false;
  }
  OneshotState next = document_->oneshot();
  const QString absolute = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
  if (!file.b_folder.empty()) next.bFolder = QString::fromStdString(file.b_folder);
  if (file.phase == 1) {
    if (!file.finished) {
      fail(tr("%1 is an unfinished phase I model; finish it first (Resume in the training "
              "panel, or atelier-cli train oneshot --resume).")
               .arg(QDir::toNativeSeparators(path)));
      return false;
    }
    next.base = absolute;
    next.model.clear();
    push(next, tr("Use phase I model %1").arg(fileName(path)));
    statusLabel_->setText(tr("Phase I model %1 (%2 px). Drop a picture of domain A and press "
                             "Train: only phase II runs.")
                              .arg(fileName(path))
                              .arg(file.image_size));
  } else {
    next.base.clear();  // a phase II file does not say which phase I file it grew from
    next.model = absolute;
    push(next, tr("Use translation model %1").arg(fileName(path)));
  }
  return true;
}

bool OneshotPage::dropPicture(const QString& path) {
  if (!document_) return false;
  const QFileInfo info(path);
  MediaKind kind;
  if (!info.isFile() || !mediaKindForFile(path, &kind) || kind != MediaKind::Image) {
    fail(
        tr("%1 is not a picture; drop a picture of domain A (PNG, JPEG, …).").arg(info.fileName()));
    return false;
  }
  QImageReader reader(path);
  if (!reader.canRead()) {
    fail(tr("%1 cannot be read as a picture (%2).").arg(info.fileName(), reader.errorString()));
    return false;
  }
  OneshotState next = document_->oneshot();
  next.picture = QDir::cleanPath(info.absoluteFilePath());
  push(next, translator_ ? tr("Translate %1").arg(info.fileName())
                         : tr("Choose the A picture %1").arg(info.fileName()));
  return true;
}

void OneshotPage::onStateChanged() {
  if (!document_) return;
  const OneshotState& s = document_->oneshot();
  if (s.model != modelPath_) {
    translator_.reset();
    cache_.clear();
    renderer_->reset();
    loader_.forget();
    wantedKey_.clear();
    shownKey_.clear();
    modelPath_ = s.model;
    if (!s.model.isEmpty()) {
      translationCanvas_->setMessage(tr("Loading %1…").arg(fileName(s.model)));
      const QString model = s.model;
      loader_.load(
          model, settings_->compute(),
          [this, model](std::shared_ptr<const OneshotTranslator> loaded, const QString& error) {
            onModelLoaded(model, std::move(loaded), error);
          });
    }
  }
  if (!s.picture.isEmpty()) {
    const QImage picture(s.picture);
    if (picture.isNull()) {
      pictureCanvas_->setMessage(tr("%1 cannot be read.\n\nDrop another picture of domain A here.")
                                     .arg(fileName(s.picture)));
    } else {
      pictureCanvas_->setImage(picture);
    }
  } else if (translator_) {
    pictureCanvas_->setImage(toQImage(translator_->aImage()));
  } else {
    pictureCanvas_->setMessage(tr("Drop one picture of domain A here"));
  }
  if (s.model.isEmpty()) {
    translationCanvas_->setMessage(
        s.bFolder.isEmpty()
            ? tr("Choose a folder of B pictures (or a phase I model), drop one picture of "
                 "domain A on the left, and press Train: its translation to B appears here.")
            : tr("Press Train: the translation of the A picture to B appears here."));
  }
  refreshLabels();
  requestTranslation();
  updateControls();
}

void OneshotPage::refreshLabels() {
  const OneshotState& s = document_->oneshot();
  QString b = s.bFolder.isEmpty() ? tr("none chosen") : QDir::toNativeSeparators(s.bFolder);
  if (!s.base.isEmpty()) {
    b += tr("  ·  phase I: %1").arg(fileName(s.base));
  } else if (!s.bFolder.isEmpty() && s.model.isEmpty()) {
    b += tr("  ·  phase I: not trained yet");
  }
  bLabel_->setText(b);
  pictureLabel_->setText(s.picture.isEmpty() ? tr("<b>A picture</b>")
                                             : tr("<b>A picture</b>: %1").arg(fileName(s.picture)));
  modelLabel_->setText(s.model.isEmpty()
                           ? tr("<b>Translated to B</b>")
                           : tr("<b>Translated to B</b> by %1").arg(fileName(s.model)));
}

void OneshotPage::onModelLoaded(const QString& path,
                                std::shared_ptr<const OneshotTranslator> translator,
                                const QString& error) {
  if (!translator || translator->phase() != 2) {
    translationCanvas_->setMessage(tr("No usable translation model"));
    fail(translator ? tr("%1 is a phase I model: it learned B only; press Train to translate.")
                          .arg(fileName(path))
                    : error);
    return;
  }
  translator_ = std::move(translator);
  onStateChanged();  // the picture (its own A picture when none is chosen) and its translation
  Q_EMIT modelReady(path);
}

void OneshotPage::requestTranslation() {
  if (!translator_ || !document_) return;
  const QString picture = document_->oneshot().picture;
  const QString key = modelPath_ + QLatin1Char('|') + picture;
  wantedKey_ = key;
  if (cache_.contains(key)) {
    onRendered(key, {cache_.value(key), {}});
    return;
  }
  translationCanvas_->setMessage(tr("Translating…"));
  renderer_->request(key, [t = translator_, path = picture.toStdString()] {
    const atelier::Image source = path.empty() ? t->aImage() : atelier::load_image(path);
    return RenderOutput{toQImage(t->translate(source)), {}};
  });
}

void OneshotPage::onRendered(const QString& key, const RenderOutput& output) {
  cache_.insert(key, output.image);
  if (key != wantedKey_) return;
  translationCanvas_->setImage(output.image);
  shownKey_ = key;
  Q_EMIT translationShown(key);
}

bool OneshotPage::train() {
  if (!document_) return false;
  const OneshotState s = document_->oneshot();
  if (s.bFolder.isEmpty()) {
    fail(tr("Choose a folder of B pictures (or a phase I model) first."));
    return false;
  }
  if (s.picture.isEmpty()) {
    fail(tr("Drop a picture of domain A first: phase II learns from that one picture."));
    return false;
  }
  if (runner_->isRunning()) {
    fail(runner_->busyMessage());
    return false;
  }
  const QString folder = settings_->effectiveOutputFolder();
  if (!QDir().mkpath(folder)) {
    fail(tr("Cannot create the output folder %1").arg(folder));
    return false;
  }
  OneshotTrainRequest request;
  request.bFolder = s.bFolder;
  request.base = s.base;
  request.baseOut =
      s.base.isEmpty()
          ? freshPath(folder, QFileInfo(s.bFolder).fileName() + QStringLiteral("_oneshot_b"),
                      QStringLiteral(".atl"))
          : QString();
  request.picture = s.picture;
  request.out = freshPath(folder,
                          QFileInfo(s.picture).completeBaseName() + QStringLiteral("_to_") +
                              QFileInfo(s.bFolder).fileName(),
                          QStringLiteral(".atl"));
  request.preset = presetChooser_->currentText();
  request.compute = settings_->compute();
  request.previewEvery = kPreviewEvery;
  request.processes = settings_->processes;
  pendingBase_ = s.base.isEmpty() ? request.baseOut : s.base;
  pendingOut_ = request.out;

  JobSpec spec;
  spec.title = tr("One-shot translation of %1 to %2")
                   .arg(fileName(s.picture), QFileInfo(s.bFolder).fileName());
  spec.owner = this;
  spec.run = oneshotTrainJob(request, false);
  spec.resume = oneshotTrainJob(request, true);
  spec.lossPhases = oneshotLossPhases();
  statusLabel_->setText(
      s.base.isEmpty()
          ? tr("Training phase I on the B pictures, then phase II on %1…").arg(fileName(s.picture))
          : tr("Training phase II on %1…").arg(fileName(s.picture)));
  return runner_->start(std::move(spec));
}

void OneshotPage::onJobFinished(bool completed) {
  updateControls();
  if (runner_->owner() != this || !document_) return;
  if (!completed) {
    statusLabel_->setText(tr("Training stopped; Resume in the training panel continues it."));
    return;
  }
  OneshotState next = document_->oneshot();
  next.base = pendingBase_;
  next.model = pendingOut_;
  statusLabel_->setText(tr("Trained: %1. Drop any other picture of domain A on the left to "
                           "translate it.")
                            .arg(QDir::toNativeSeparators(pendingOut_)));
  if (next == document_->oneshot()) {
    modelPath_.clear();  // the same file written again: load it anew
    onStateChanged();
    return;
  }
  push(next, tr("Train a one-shot translation of %1").arg(fileName(next.picture)));
}

void OneshotPage::updateControls() {
  const bool busy = runner_->isRunning();
  trainButton_->setEnabled(!busy);
  folderButton_->setEnabled(!busy);
  modelButton_->setEnabled(!busy);
  presetChooser_->setEnabled(!busy);
}

}  // namespace atelier::ui
