#include "attribute_transfer_page.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>
#include <exception>

#include "atelier/disentangle.h"
#include "atelier/image.h"
#include "atelier/masktransfer.h"
#include "atelier/preset.h"
#include "document.h"
#include "engine_presets.h"
#include "fresh_path.h"
#include "gallery_view.h"
#include "image_convert.h"
#include "job_runner.h"
#include "studio_settings.h"
#include "transfer_canvas.h"
#include "transfer_commands.h"
#include "transfer_job.h"
#include "transfer_model.h"

namespace atelier::ui {
namespace {

constexpr int kOriginalSize =
    256;  // the chosen image is shown centre-cropped like the model sees it
constexpr int kPreviewEvery = 50;  // training steps between previews
constexpr int kHistoryIcon = 64;

QString domainName(Domain d) {
  return d == Domain::A ? QStringLiteral("A") : QStringLiteral("B");
}

RenderOutput toOutput(const TransferModel::Output& out) {
  return {toQImage(out.image), out.mask.empty() ? QImage() : toQImage(out.mask)};
}

}  // namespace

AttributeTransferPage::AttributeTransferPage(JobRunner* runner, ThumbnailLoader* thumbnails,
                                             QWidget* parent)
    : QWidget(parent),
      runner_(runner),
      settings_(std::make_unique<StudioSettings>()),
      renderer_(new PreviewRenderer(this)),
      galleryA_(new GalleryView(Domain::A, thumbnails)),
      galleryB_(new GalleryView(Domain::B, thumbnails)),
      canvas_(new TransferCanvas),
      history_(new QListWidget),
      methodChooser_(new QComboBox),
      presetChooser_(new QComboBox),
      trainButton_(new QPushButton(tr("Train"))),
      loadButton_(new QPushButton(tr("Load model…"))),
      removeButton_(new QPushButton(tr("Remove attributes"))),
      maskToggle_(new QCheckBox(tr("Show mask"))),
      modelLabel_(new QLabel),
      statusLabel_(new QLabel) {
  methodChooser_->addItem(tr("Domain intersection / difference"), QStringLiteral("disentangle"));
  methodChooser_->addItem(tr("Mask-based content transfer"), QStringLiteral("masktransfer"));
  presetChooser_->addItems(
      enginePresetNames({QStringLiteral("disentangle"), QStringLiteral("masktransfer")}));
  trainButton_->setToolTip(tr("Learn what A and B share and what each adds, from the galleries"));
  removeButton_->setToolTip(tr("Take both attributes out of the chosen image"));
  maskToggle_->setToolTip(tr("Tint the area the transfer changed (mask-based models)"));
  statusLabel_->setWordWrap(true);
  canvas_->setMessage(
      tr("Put images of two kinds into the galleries A and B (drag them from the "
         "media list), train, click an image, then drag a thumbnail here to give "
         "the image its attribute."));
  history_->setViewMode(QListView::IconMode);
  history_->setFlow(QListView::LeftToRight);
  history_->setWrapping(false);
  history_->setIconSize(QSize(kHistoryIcon, kHistoryIcon));
  history_->setFixedHeight(kHistoryIcon + 44);
  history_->setMovement(QListView::Static);
  history_->setToolTip(tr("Every transfer and removal; click one to see it again"));

  auto* top = new QHBoxLayout;
  top->addWidget(new QLabel(tr("Method:")));
  top->addWidget(methodChooser_);
  top->addWidget(new QLabel(tr("Preset:")));
  top->addWidget(presetChooser_);
  top->addWidget(trainButton_);
  top->addWidget(loadButton_);
  top->addWidget(modelLabel_, 1);

  auto galleryBox = [](const QString& title, GalleryView* view) {
    auto* box = new QGroupBox(title);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(view);
    return box;
  };
  auto* galleries = new QSplitter(Qt::Vertical);
  galleries->addWidget(galleryBox(tr("Domain A"), galleryA_));
  galleries->addWidget(galleryBox(tr("Domain B"), galleryB_));

  auto* canvasColumn = new QWidget;
  auto* canvasLayout = new QVBoxLayout(canvasColumn);
  canvasLayout->setContentsMargins(0, 0, 0, 0);
  canvasLayout->addWidget(canvas_, 1);
  auto* canvasButtons = new QHBoxLayout;
  canvasButtons->addWidget(removeButton_);
  canvasButtons->addWidget(maskToggle_);
  canvasButtons->addStretch(1);
  canvasLayout->addLayout(canvasButtons);

  auto* body = new QSplitter(Qt::Horizontal);
  body->addWidget(galleries);
  body->addWidget(canvasColumn);
  body->setStretchFactor(0, 1);
  body->setStretchFactor(1, 2);
  galleries->setMinimumWidth(3 * 84 + 24);  // three thumbnails a row

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addWidget(body, 1);
  layout->addWidget(new QLabel(tr("History")));
  layout->addWidget(history_);
  layout->addWidget(statusLabel_);

  for (GalleryView* view : {galleryA_, galleryB_}) {
    const Domain d = view->domain();
    connect(view, &GalleryView::filesDropped, this,
            [this, d](const QStringList& paths) { addToGallery(d, paths); });
    connect(view, &GalleryView::removeRequested, this,
            [this, d](const QStringList& paths) { removeFromGallery(d, paths); });
    connect(view, &QListWidget::itemClicked, this,
            [this](QListWidgetItem* item) { chooseTarget(item->data(Qt::UserRole).toString()); });
  }
  connect(canvas_, &TransferCanvas::sourceDropped, this,
          [this](const QString& path, Domain d) { transferFrom(path, d); });
  connect(canvas_, &TransferCanvas::targetDropped, this, &AttributeTransferPage::chooseTarget);
  connect(history_, &QListWidget::currentRowChanged, this, [this](int row) {
    if (row >= 0) showStep(row);
  });
  connect(trainButton_, &QPushButton::clicked, this, [this] { train(); });
  connect(loadButton_, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Load a transfer model"),
                                                      settings_->effectiveOutputFolder(),
                                                      tr("Atelier models (*.atl)"));
    if (!path.isEmpty()) loadModelFile(path);
  });
  connect(removeButton_, &QPushButton::clicked, this, [this] { removeAttributes(); });
  connect(maskToggle_, &QCheckBox::toggled, canvas_, &TransferCanvas::setShowMask);
  connect(renderer_, &PreviewRenderer::rendered, this, &AttributeTransferPage::onRendered);
  connect(renderer_, &PreviewRenderer::renderFailed, this,
          [this](const QString&, const QString& message) { fail(message); });
  connect(runner_, &JobRunner::started, this, [this] { updateButtons(); });
  connect(runner_, &JobRunner::finished, this, &AttributeTransferPage::onJobFinished);
  connect(runner_, &JobRunner::failed, this, [this](const QString& message) {
    if (runner_->owner() == this) fail(tr("Training failed: %1").arg(message));
    updateButtons();
  });
  updateButtons();
}

AttributeTransferPage::~AttributeTransferPage() = default;

void AttributeTransferPage::setDocument(Document* document) {
  if (document_) disconnect(document_, nullptr, this, nullptr);
  document_ = document;
  target_.clear();
  if (!document_) return;
  connect(document_, &Document::galleryChanged, this, &AttributeTransferPage::refreshGallery);
  connect(document_, &Document::transferModelChanged, this,
          &AttributeTransferPage::onModelPathChanged);
  connect(document_, &Document::transferHistoryChanged, this,
          &AttributeTransferPage::onHistoryChanged);
  refreshGallery(Domain::A);
  refreshGallery(Domain::B);
  onModelPathChanged(document_->transfer().model);
}

void AttributeTransferPage::setSettings(const StudioSettings& settings) {
  *settings_ = settings;
  presetChooser_->setCurrentText(
      settings_->preset(QString::fromLatin1(TransferState::kWorkspaceId)));
}

GalleryView* AttributeTransferPage::gallery(Domain domain) const {
  return domain == Domain::A ? galleryA_ : galleryB_;
}

QString AttributeTransferPage::statusText() const {
  return statusLabel_->text();
}

QString AttributeTransferPage::statusToolTip() const {
  return statusLabel_->toolTip();
}

void AttributeTransferPage::setStatus(const QString& text) {
  statusLabel_->setText(text);
  statusLabel_->setToolTip(QString());
}

void AttributeTransferPage::fail(const QString& message) {
  setStatus(message);
  Q_EMIT errorOccurred(message);
}

void AttributeTransferPage::refreshGallery(Domain domain) {
  if (document_) gallery(domain)->setPaths(document_->transfer().gallery(domain));
  updateButtons();
}

void AttributeTransferPage::addToGallery(Domain domain, const QStringList& paths) {
  if (!document_) return;
  QStringList after = document_->transfer().gallery(domain);
  int added = 0;
  for (const QString& path : paths) {
    const QString clean = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    if (after.contains(clean)) continue;
    after.append(clean);
    ++added;
  }
  if (added == 0) return;
  document_->undoStack()->push(
      new SetGalleryCommand(document_, domain, after,
                            tr("Add %n image(s) to %1", nullptr, added).arg(domainName(domain))));
}

void AttributeTransferPage::removeFromGallery(Domain domain, const QStringList& paths) {
  if (!document_) return;
  QStringList after = document_->transfer().gallery(domain);
  const int before = after.size();
  for (const QString& path : paths) after.removeAll(path);
  if (after.size() == before) return;
  document_->undoStack()->push(new SetGalleryCommand(
      document_, domain, after,
      tr("Take %n image(s) out of %1", nullptr, before - after.size()).arg(domainName(domain))));
}

bool AttributeTransferPage::train() {
  if (!document_) return false;
  const TransferState& state = document_->transfer();
  if (state.galleryA.size() < 2 || state.galleryB.size() < 2) {
    fail(tr("Each gallery needs at least two images to learn from (A has %1, B has %2).")
             .arg(state.galleryA.size())
             .arg(state.galleryB.size()));
    return false;
  }
  if (runner_->isRunning()) {
    fail(runner_->busyMessage());
    return false;
  }
  const std::string method = methodChooser_->currentData().toString().toStdString();
  if (!QDir().mkpath(settings_->effectiveOutputFolder())) {
    fail(tr("Cannot create the output folder %1").arg(settings_->effectiveOutputFolder()));
    return false;
  }
  trainingOut_ = freshPath(settings_->effectiveOutputFolder(),
                           (document_ ? document_->displayName() : QStringLiteral("transfer")) +
                               QLatin1Char('_') + QString::fromStdString(method),
                           QStringLiteral(".atl"));
  TransferTrainRequest request;
  request.method = method;
  request.preset = presetChooser_->currentText().toStdString();
  for (const QString& p : state.galleryA) request.a.push_back(p.toStdString());
  for (const QString& p : state.galleryB) request.b.push_back(p.toStdString());
  request.options.out = trainingOut_.toStdString();
  request.options.compute = settings_->compute();
  request.options.preview_every = kPreviewEvery;
  request.processes = settings_->processes;
  JobSpec spec;
  spec.title = tr("Training %1 on %2 + %3 images")
                   .arg(methodChooser_->currentText())
                   .arg(request.a.size())
                   .arg(request.b.size());
  spec.owner = this;
  spec.run = transferTrainJob(request, false);
  spec.resume = transferTrainJob(request, true);
  setStatus(tr("Training… the model will be written to %1").arg(trainingOut_));
  return runner_->start(std::move(spec));
}

void AttributeTransferPage::onJobFinished(bool completed) {
  updateButtons();
  if (runner_->owner() != this) return;
  if (!completed) {
    setStatus(
        tr("Training stopped; %1 is resumable (Resume in the training panel).").arg(trainingOut_));
    return;
  }
  loadModelFile(trainingOut_);
}

void AttributeTransferPage::loadModelFile(const QString& path) {
  if (!document_) return;
  if (path == document_->transfer().model) {
    onModelPathChanged(path);  // the same file, written again: load it anew
  } else {
    document_->undoStack()->push(new SetTransferModelCommand(document_, path));
  }
}

void AttributeTransferPage::onModelPathChanged(const QString& path) {
  model_.reset();
  cache_.clear();
  renderer_->reset();
  Q_EMIT modelChanged();
  loader_.forget();
  updateButtons();
  if (path.isEmpty()) {
    modelLabel_->setText(tr("No model yet"));
    onHistoryChanged();
    return;
  }
  modelLabel_->setText(tr("Loading %1…").arg(QFileInfo(path).fileName()));
  loader_.load(path, settings_->compute(),
               [this, path](std::shared_ptr<const TransferModel> model, const QString& error) {
                 onModelLoaded(path, std::move(model), error);
               });
}

void AttributeTransferPage::onModelLoaded(const QString& path,
                                          std::shared_ptr<const TransferModel> model,
                                          const QString& error) {
  if (!model) {
    modelLabel_->setText(tr("No usable model"));
    fail(error);
    return;
  }
  model_ = std::move(model);
  modelLabel_->setText(
      tr("Model: %1 (%2, %3 px)")
          .arg(QFileInfo(path).fileName(), QString::fromStdString(model_->method()))
          .arg(model_->imageSize()));
  maskToggle_->setEnabled(model_->method() == "masktransfer");
  if (model_->selfCheckWarnings().empty()) {
    setStatus(tr("Ready: click an image, then drag a thumbnail from the other gallery onto it."));
  } else {
    // Each warning opens with its verdict ("B's attribute did not separate: ..."): the verdicts
    // fit the status line, the whole sentences (with what to try) go into its tooltip.
    QStringList verdicts, warnings;
    for (const std::string& w : model_->selfCheckWarnings()) {
      warnings << QString::fromStdString(w);
      verdicts << warnings.back().section(QLatin1Char(':'), 0, 0);
    }
    modelLabel_->setText(modelLabel_->text() + tr(" — its self-check found a problem"));
    setStatus(tr("The model's self-check after training: %1. Point here for what to try.")
                  .arg(verdicts.join(QStringLiteral("; "))));
    statusLabel_->setToolTip(warnings.join(QStringLiteral("\n\n")));
  }
  updateButtons();
  onHistoryChanged();
  Q_EMIT modelChanged();
  Q_EMIT modelReady(path);
}

QString AttributeTransferPage::stepKey(const TransferStep& step) const {
  return QString::fromStdString(model_ ? model_->path() : std::string()) + QLatin1Char('|') +
         step.key();
}

void AttributeTransferPage::chooseTarget(const QString& path) {
  target_ = path;
  showStep(-1);
  updateButtons();
}

bool AttributeTransferPage::transferFrom(const QString& source, Domain domain) {
  if (!document_) return false;
  if (!model_) {
    fail(tr("Train a model or load one first: then drops give the image their attribute."));
    return false;
  }
  if (target_.isEmpty()) {
    fail(
        tr("Click the image to change first (in a gallery, or drop a picture file on the "
           "canvas)."));
    return false;
  }
  TransferStep step;
  step.kind = TransferStep::Kind::Transfer;
  step.onto = target_;
  step.from = source;
  step.attribute = domain;
  document_->undoStack()->push(new AddTransferStepCommand(document_, step));
  return true;
}

bool AttributeTransferPage::removeAttributes() {
  if (!document_ || !model_ || target_.isEmpty()) return false;
  TransferStep step;
  step.kind = TransferStep::Kind::Removal;
  step.onto = target_;
  document_->undoStack()->push(new AddTransferStepCommand(document_, step));
  return true;
}

void AttributeTransferPage::onHistoryChanged() {
  const QVector<TransferStep> steps =
      document_ ? document_->transfer().history : QVector<TransferStep>();
  const QSignalBlocker blocker(history_);
  history_->clear();
  for (const TransferStep& step : steps) {
    const QString text = step.kind == TransferStep::Kind::Removal
                             ? tr("− %1").arg(QFileInfo(step.onto).completeBaseName())
                             : tr("%1 + %2").arg(QFileInfo(step.onto).completeBaseName(),
                                                 QFileInfo(step.from).completeBaseName());
    auto* item = new QListWidgetItem(text, history_);
    const QString key = stepKey(step);
    item->setData(Qt::UserRole, key);
    item->setToolTip(text);
    if (cache_.contains(key)) {
      item->setIcon(QIcon(QPixmap::fromImage(cache_[key].image)));
    } else if (model_) {
      requestStep(step, false);
    }
  }
  if (steps.isEmpty() || !model_) {
    if (!target_.isEmpty()) showStep(-1);
    return;
  }
  history_->setCurrentRow(steps.size() - 1);
  showStep(steps.size() - 1);
}

void AttributeTransferPage::showStep(int index) {
  if (index < 0) {
    if (target_.isEmpty()) return;
    const QString key = QStringLiteral("original|") + target_;
    wantedKey_ = key;
    if (cache_.contains(key)) {
      onRendered(key, cache_[key], true);
      return;
    }
    const std::string path = target_.toStdString();
    renderer_->request(key, [path] {
      return RenderOutput{
          toQImage(atelier::center_crop_square(atelier::load_image(path), kOriginalSize)), {}};
    });
    return;
  }
  if (!document_ || index >= document_->transfer().history.size()) return;
  const TransferStep step = document_->transfer().history[index];
  target_ = step.onto;
  requestStep(step, true);
}

void AttributeTransferPage::requestStep(const TransferStep& step, bool interactive) {
  if (!model_) return;
  const QString key = stepKey(step);
  if (interactive) wantedKey_ = key;
  if (cache_.contains(key)) {
    if (interactive) onRendered(key, cache_[key], true);
    return;
  }
  std::shared_ptr<const TransferModel> model = model_;
  RenderFunction render = [model, step] {
    const atelier::Image onto = atelier::load_image(step.onto.toStdString());
    if (step.kind == TransferStep::Kind::Removal) return toOutput(model->remove(onto));
    const atelier::Image from = atelier::load_image(step.from.toStdString());
    return toOutput(model->transfer(from, onto, step.attribute == Domain::A));
  };
  if (interactive) {
    renderer_->request(key, std::move(render));
  } else {
    renderer_->enqueue(key, std::move(render));
  }
}

void AttributeTransferPage::onRendered(const QString& key, const RenderOutput& output, bool) {
  cache_.insert(key, output);
  for (int row = 0; row < history_->count(); ++row) {
    QListWidgetItem* item = history_->item(row);
    if (item->data(Qt::UserRole).toString() == key) {
      item->setIcon(QIcon(QPixmap::fromImage(output.image)));
    }
  }
  if (key != wantedKey_) return;
  canvas_->setResult(output.image, output.mask);
  shownKey_ = key;
  Q_EMIT resultShown(key);
}

void AttributeTransferPage::updateButtons() {
  const bool busy = runner_->isRunning();
  const bool galleries = document_ && document_->transfer().galleryA.size() >= 2 &&
                         document_->transfer().galleryB.size() >= 2;
  trainButton_->setEnabled(!busy && galleries);
  trainButton_->setToolTip(galleries ? tr("Learn what A and B share and what each adds")
                                     : tr("Needs two images or more in each gallery"));
  removeButton_->setEnabled(model_ && !target_.isEmpty());
}

}  // namespace atelier::ui
