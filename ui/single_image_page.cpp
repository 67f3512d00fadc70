#include "single_image_page.h"

#include <algorithm>

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>
#include <exception>

#include "atelier/analogy.h"
#include "atelier/image.h"
#include "atelier/preset.h"
#include "atelier/singan.h"
#include "document.h"
#include "fresh_path.h"
#include "image_canvas.h"
#include "image_convert.h"
#include "job_runner.h"
#include "set_single_image_command.h"
#include "single_image_model.h"
#include "studio_settings.h"

namespace atelier::ui {
namespace {

constexpr int kPreviewEvery = 100;  // training steps between previews
constexpr int kBetweenSteps = 100;  // positions of the "between" slider
constexpr int kIconSize = 128;

// Small pictures (a tiny preset's) are enlarged to the icon size, so the grid stays legible.
QIcon gridIcon(const QImage& image) {
  return QIcon(QPixmap::fromImage(
      image.scaled(kIconSize, kIconSize, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
}

// The render key and work of a translation: one key for the grid and the level strip, so a
// picture rendered for one is there for the other.
QString translationKey(const QString& model, bool second, int level, std::uint64_t seed) {
  return QStringLiteral("%1|translate|%2|%3|%4").arg(model).arg(second).arg(level).arg(seed);
}

RenderFunction translationRender(std::shared_ptr<const SingleImageModel> model, bool second,
                                 int level, std::uint64_t seed) {
  return [model = std::move(model), second, level, seed] {
    return RenderOutput{toQImage(model->translate(second, level, seed)), {}};
  };
}

}  // namespace

SingleImagePage::SingleImagePage(JobRunner* runner, QWidget* parent)
    : QWidget(parent),
      runner_(runner),
      settings_(std::make_unique<StudioSettings>()),
      renderer_(new PreviewRenderer(this)),
      methodChooser_(new QComboBox),
      modeChooser_(new QComboBox),
      imageA_(new QComboBox),
      imageB_(new QComboBox),
      presetChooser_(new QComboBox),
      trainButton_(new QPushButton(tr("Train"))),
      loadButton_(new QPushButton(tr("Load model…"))),
      modelLabel_(new QLabel(tr("No model yet"))),
      levelSpin_(new QSpinBox),
      widthSpin_(new QDoubleSpinBox),
      seedSpin_(new QSpinBox),
      newSamplesButton_(new QPushButton(tr("New samples"))),
      paintingChooser_(new QComboBox),
      paintButton_(new QPushButton(tr("Paint to image"))),
      levelStrip_(new LevelStrip),
      grid_(new QListWidget),
      canvas_(new ImageCanvas),
      betweenSlider_(new QSlider(Qt::Horizontal)),
      statusLabel_(new QLabel) {
  methodChooser_->addItem(tr("Instant (patches)"), true);
  methodChooser_->addItem(tr("Learned model (GAN)"), false);
  methodChooser_->setToolTip(
      tr("Instant: new pictures from the pictures' own patches in seconds, no training. Learned: "
         "train a model (minutes), then browse samples, levels and blends live."));
  modeChooser_->addItem(tr("One picture"), false);
  modeChooser_->addItem(tr("A pair (structural analogy)"), true);
  refreshPresets(QStringLiteral("preview"));
  levelSpin_->setToolTip(
      tr("Samples: levels below this keep the picture's layout. Pair: the "
         "level at which the source enters the other picture's chain (\"chosen\": the level the "
         "model chose for each direction after training)."));
  widthSpin_->setRange(0.5, 2.0);
  widthSpin_->setSingleStep(0.25);
  widthSpin_->setValue(1.0);
  widthSpin_->setPrefix(QStringLiteral("× "));
  widthSpin_->setToolTip(tr("Sample width relative to the picture (SinGAN)"));
  seedSpin_->setRange(0, 1000000);
  seedSpin_->setValue(1);
  paintingChooser_->setToolTip(
      tr("A rough painting (a picture of the project) to turn into an "
         "image in the learned style"));
  betweenSlider_->setRange(0, kBetweenSteps);
  betweenSlider_->setToolTip(tr("Between the first two samples"));
  grid_->setViewMode(QListView::IconMode);
  grid_->setIconSize(QSize(kIconSize, kIconSize));
  grid_->setGridSize(QSize(148, 160));
  grid_->setFlow(QListView::LeftToRight);
  grid_->setWrapping(true);
  grid_->setMinimumWidth(2 * 148 + 24);  // two pictures a row
  grid_->setMovement(QListView::Static);
  grid_->setResizeMode(QListView::Adjust);
  statusLabel_->setWordWrap(true);
  canvas_->setMessage(
      tr("Choose a picture (or two) and press Generate: new pictures made of its patches appear "
         "here as they sharpen. Or choose a learned model and press Train."));

  auto* top = new QHBoxLayout;
  top->addWidget(methodChooser_);
  top->addWidget(modeChooser_);
  top->addWidget(new QLabel(tr("Picture:")));
  top->addWidget(imageA_, 1);
  top->addWidget(new QLabel(tr("Second:")));
  top->addWidget(imageB_, 1);
  top->addWidget(new QLabel(tr("Preset:")));
  top->addWidget(presetChooser_);
  top->addWidget(trainButton_);
  top->addWidget(loadButton_);
  auto* controls = new QHBoxLayout;
  controls->addWidget(modelLabel_, 1);
  controls->addWidget(new QLabel(tr("Level:")));
  controls->addWidget(levelSpin_);
  controls->addWidget(new QLabel(tr("Width:")));
  controls->addWidget(widthSpin_);
  controls->addWidget(new QLabel(tr("Seed:")));
  controls->addWidget(seedSpin_);
  controls->addWidget(newSamplesButton_);
  controls->addWidget(paintingChooser_);
  controls->addWidget(paintButton_);

  auto* right = new QWidget;
  auto* rightLayout = new QVBoxLayout(right);
  rightLayout->setContentsMargins(0, 0, 0, 0);
  rightLayout->addWidget(canvas_, 1);
  auto* between = new QHBoxLayout;
  between->addWidget(new QLabel(tr("Sample 1")));
  between->addWidget(betweenSlider_, 1);
  between->addWidget(new QLabel(tr("Sample 2")));
  rightLayout->addLayout(between);
  auto* body = new QSplitter(Qt::Horizontal);
  body->addWidget(grid_);
  body->addWidget(right);
  body->setStretchFactor(0, 1);
  body->setStretchFactor(1, 1);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addLayout(controls);
  layout->addWidget(levelStrip_);
  levelStrip_->hide();  // until an analogy model is shown
  layout->addWidget(body, 1);
  layout->addWidget(statusLabel_);

  auto chosen = [this] {
    choose(modeChooser_->currentData().toBool(), imageA_->currentData().toString(),
           imageB_->currentData().toString());
  };
  connect(methodChooser_, &QComboBox::activated, this,
          [this] { chooseInstant(methodChooser_->currentData().toBool()); });
  connect(modeChooser_, &QComboBox::activated, this, chosen);
  connect(imageA_, &QComboBox::activated, this, chosen);
  connect(imageB_, &QComboBox::activated, this, chosen);
  connect(trainButton_, &QPushButton::clicked, this, [this] { train(); });
  connect(loadButton_, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Load a model"), settings_->effectiveOutputFolder(), tr("Atelier models (*.atl)"));
    if (!path.isEmpty()) loadModelFile(path);
  });
  connect(newSamplesButton_, &QPushButton::clicked, this, [this] { newSamples(); });
  for (QSpinBox* spin : {levelSpin_, seedSpin_}) {
    connect(spin, &QSpinBox::valueChanged, this, [this] { refreshGrid(); });
  }
  connect(widthSpin_, &QDoubleSpinBox::valueChanged, this, [this] { refreshGrid(); });
  connect(paintButton_, &QPushButton::clicked, this,
          [this] { paintFrom(paintingChooser_->currentData().toString()); });
  connect(betweenSlider_, &QSlider::valueChanged, this,
          [this](int position) { showBetween(double(position) / kBetweenSteps); });
  connect(grid_, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
    const QString key = item->data(Qt::UserRole).toString();
    wantedKey_ = key;
    if (cache_.contains(key)) onRendered(key, {cache_[key], {}}, true);
  });
  connect(levelStrip_, &LevelStrip::levelPicked, this, [this](int level, const QString& key) {
    levelSpin_->setValue(level);
    wantedKey_ = key;
    if (cache_.contains(key)) onRendered(key, {cache_[key], {}}, true);
  });
  connect(renderer_, &PreviewRenderer::rendered, this, &SingleImagePage::onRendered);
  connect(renderer_, &PreviewRenderer::renderFailed, this,
          [this](const QString&, const QString& message) { fail(message); });
  connect(runner_, &JobRunner::started, this, [this] { updateControls(); });
  connect(runner_, &JobRunner::previewed, this, &SingleImagePage::onPreview);
  connect(runner_, &JobRunner::finished, this, &SingleImagePage::onJobFinished);
  connect(runner_, &JobRunner::failed, this, [this](const QString& message) {
    updateControls();
    if (runner_->owner() != this) return;
    const bool instant = !pendingFolder_.isEmpty() || !pendingPaint_.isEmpty();
    pendingFolder_.clear();
    pendingPaint_.clear();
    fail(
        (instant ? tr("Could not make the pictures: %1") : tr("Training failed: %1")).arg(message));
  });
  updateControls();
}

SingleImagePage::~SingleImagePage() = default;

void SingleImagePage::setDocument(Document* document) {
  if (document_) disconnect(document_, nullptr, this, nullptr);
  document_ = document;
  if (!document_) return;
  connect(document_, &Document::singleImageChanged, this, &SingleImagePage::onStateChanged);
  connect(document_, &Document::mediaInserted, this, &SingleImagePage::refreshChoosers);
  connect(document_, &Document::mediaRemoved, this, &SingleImagePage::refreshChoosers);
  refreshChoosers();
  modelPath_.clear();
  onStateChanged();
}

void SingleImagePage::setSettings(const StudioSettings& settings) {
  *settings_ = settings;
  refreshPresets(settings_->preset(QString::fromLatin1(SingleImageState::kWorkspaceId)));
}

bool SingleImagePage::isInstant() const {
  return !document_ || document_->singleImage().instant;
}

void SingleImagePage::refreshPresets(const QString& wanted) {
  fillPresetChooser(presetChooser_, {QStringLiteral("singan"), QStringLiteral("analogy")},
                    isInstant(), wanted);
}

int SingleImagePage::renderedGridCount() const {
  int n = 0;
  for (int i = 0; i < grid_->count(); ++i) n += !grid_->item(i)->icon().isNull();
  return n;
}

void SingleImagePage::fail(const QString& message) {
  statusLabel_->setText(message);
  Q_EMIT errorOccurred(message);
}

void SingleImagePage::refreshChoosers() {
  if (!document_) return;
  for (QComboBox* chooser : {imageA_, imageB_, paintingChooser_}) {
    const QSignalBlocker blocker(chooser);
    const QString current = chooser->currentData().toString();
    chooser->clear();
    for (int i = 0; i < document_->mediaCount(); ++i) {
      const MediaItem& item = document_->media(i);
      if (item.kind == MediaKind::Image)
        chooser->addItem(QFileInfo(item.path).fileName(), item.path);
    }
    chooser->setCurrentIndex(std::max(0, chooser->findData(current)));
  }
  onStateChanged();
}

void SingleImagePage::choose(bool pair, const QString& imageA, const QString& imageB) {
  if (!document_) return;
  SingleImageState next = document_->singleImage();
  next.pair = pair;
  next.imageA = imageA;
  next.imageB = pair ? imageB : QString();
  if (next == document_->singleImage()) return;
  document_->undoStack()->push(
      new SetSingleImageCommand(document_, next, tr("Choose the pictures")));
}

void SingleImagePage::chooseInstant(bool instant) {
  if (!document_ || document_->singleImage().instant == instant) return;
  SingleImageState next = document_->singleImage();
  next.instant = instant;
  document_->undoStack()->push(new SetSingleImageCommand(
      document_, next, instant ? tr("Use the instant mode") : tr("Use a learned model")));
}

void SingleImagePage::onStateChanged() {
  if (!document_) return;
  const SingleImageState& s = document_->singleImage();
  {
    const QSignalBlocker a(modeChooser_), b(imageA_), c(imageB_), d(methodChooser_);
    methodChooser_->setCurrentIndex(s.instant ? 0 : 1);
    modeChooser_->setCurrentIndex(s.pair ? 1 : 0);
    if (!s.imageA.isEmpty()) imageA_->setCurrentIndex(imageA_->findData(s.imageA));
    if (!s.imageB.isEmpty()) imageB_->setCurrentIndex(imageB_->findData(s.imageB));
  }
  refreshPresets(presetChooser_->currentText());
  const QString model = s.instant ? QString() : s.model;
  const QString results = s.instant ? s.results : QString();
  if (model != modelPath_ || results != resultsPath_) {
    model_.reset();
    cache_.clear();
    renderer_->reset();
    grid_->clear();
    loader_.forget();
    modelPath_ = model;
    resultsPath_ = results;
    if (!model.isEmpty()) {
      modelLabel_->setText(tr("Loading %1…").arg(QFileInfo(model).fileName()));
      loader_.load(
          model, settings_->compute(),
          [this, model](std::shared_ptr<const SingleImageModel> loaded, const QString& error) {
            onModelLoaded(model, std::move(loaded), error);
          });
    } else if (!results.isEmpty()) {
      modelLabel_->setText(tr("Instant pictures: %1").arg(QFileInfo(results).fileName()));
      refreshGrid();
      Q_EMIT resultsReady(results);
    } else {
      modelLabel_->setText(s.instant ? tr("No pictures yet") : tr("No model yet"));
    }
  }
  updateControls();
}

void SingleImagePage::onModelLoaded(const QString& path,
                                    std::shared_ptr<const SingleImageModel> model,
                                    const QString& error) {
  if (!model) {
    modelLabel_->setText(tr("No usable model"));
    fail(error);
    return;
  }
  model_ = std::move(model);
  modelLabel_->setText(
      tr("Model: %1 (%2, %3 levels)")
          .arg(QFileInfo(path).fileName(), QString::fromStdString(model_->method()))
          .arg(model_->scales()));
  {
    // A pair starts at the levels the model chose ("chosen", one per direction).
    const QSignalBlocker blocker(levelSpin_);
    const bool pair = model_->isPair();
    levelSpin_->setSpecialValueText(pair ? tr("chosen") : QString());
    levelSpin_->setRange(pair ? SingleImageModel::kChosenLevel : 0, model_->scales() - 1);
    levelSpin_->setValue(levelSpin_->minimum());
  }
  updateControls();
  refreshGrid();
  // The canvas still shows the instant mode's hint (press Generate): say what to do now.
  if (canvas_->image().isNull()) {
    canvas_->setMessage(tr("%1 is ready: click a picture in the grid to see it here at full size.")
                            .arg(QFileInfo(path).fileName()));
  }
  Q_EMIT modelReady(path);
}

void SingleImagePage::refreshGrid() {
  grid_->clear();
  refreshLevelStrip();
  if (!resultsPath_.isEmpty()) {
    for (const auto& [caption, path] : instantResults(resultsPath_)) {
      auto* item = new QListWidgetItem(caption, grid_);
      const QString key = QStringLiteral("instant|") + path;
      item->setData(Qt::UserRole, key);
      if (cache_.contains(key)) {
        item->setIcon(gridIcon(cache_[key]));
      } else {
        renderer_->enqueue(key, [path] { return RenderOutput{QImage(path), {}}; });
      }
    }
    if (renderedGridCount() == grid_->count()) Q_EMIT gridReady();
    return;
  }
  if (!model_) return;
  const auto model = model_;
  const int level = levelSpin_->value();
  const double width = widthSpin_->value();
  const auto seed = static_cast<std::uint64_t>(seedSpin_->value());
  const QString base = QString::fromStdString(model->path());
  struct Cell {
    QString name;
    QString key;
    RenderFunction render;
  };
  std::vector<Cell> cells;
  if (model->isPair()) {
    for (bool second : {false, true}) {
      QString name = second ? tr("b → a") : tr("a → b");
      if (level == SingleImageModel::kChosenLevel)
        name += tr(" (level %1)").arg(model->chosenLevel(second));
      cells.push_back({name, translationKey(base, second, level, seed),
                       translationRender(model, second, level, seed)});
    }
    for (int i = 0; i < 2; ++i) {
      for (bool second : {false, true}) {
        const std::uint64_t s = seed + i;
        cells.push_back(
            {(second ? tr("B sample %1") : tr("A sample %1")).arg(s),
             QStringLiteral("%1|sample|%2|%3|%4").arg(base).arg(second).arg(level).arg(s),
             [model, second, level, s] {
               return RenderOutput{toQImage(model->sample(s, level, 1.0, second)), {}};
             }});
      }
    }
  } else {
    for (int i = 0; i < kGridSize; ++i) {
      const std::uint64_t s = seed + i;
      cells.push_back({tr("Sample %1").arg(s),
                       QStringLiteral("%1|sample|%2|%3|%4").arg(base).arg(level).arg(width).arg(s),
                       [model, level, width, s] {
                         return RenderOutput{toQImage(model->sample(s, level, width, false)), {}};
                       }});
    }
  }
  for (Cell& cell : cells) {
    auto* item = new QListWidgetItem(cell.name, grid_);
    item->setData(Qt::UserRole, cell.key);
    if (cache_.contains(cell.key)) {
      item->setIcon(gridIcon(cache_[cell.key]));
    } else {
      renderer_->enqueue(cell.key, std::move(cell.render));
    }
  }
  if (renderedGridCount() == grid_->count()) Q_EMIT gridReady();
}

void SingleImagePage::refreshLevelStrip() {
  const bool pair = resultsPath_.isEmpty() && model_ && model_->isPair();
  levelStrip_->setVisible(pair);
  if (!pair) return;
  const auto model = model_;
  const auto seed = static_cast<std::uint64_t>(seedSpin_->value());
  const QString base = QString::fromStdString(model->path());
  std::vector<LevelStrip::Cell> cells;
  std::vector<RenderFunction> renders;
  for (bool second : {false, true}) {
    const int chosen = model->chosenLevel(second);
    for (int level = 0; level < model->scales(); ++level) {
      QString caption = (second ? tr("b → a, level %1") : tr("a → b, level %1")).arg(level);
      if (level == chosen) caption += tr(" ✓");
      cells.push_back({caption, translationKey(base, second, level, seed), level});
      renders.push_back(translationRender(model, second, level, seed));
    }
  }
  levelStrip_->setCells(cells);
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (cache_.contains(cells[i].key)) {
      levelStrip_->setPicture(cells[i].key, cache_[cells[i].key]);
    } else {
      renderer_->enqueue(cells[i].key, std::move(renders[i]));
    }
  }
}

void SingleImagePage::newSamples() {
  seedSpin_->setValue(seedSpin_->value() + kGridSize);
  if (isInstant()) train();  // instant samples are made, not rendered from a model
}

void SingleImagePage::show(const QString& key, RenderFunction render) {
  wantedKey_ = key;
  if (cache_.contains(key)) {
    onRendered(key, {cache_[key], {}}, true);
  } else {
    renderer_->request(key, std::move(render));
  }
}

void SingleImagePage::showBetween(double t) {
  if (!model_ || model_->isPair()) return;
  const auto model = model_;
  const int level = levelSpin_->value();
  const double width = widthSpin_->value();
  const auto seed = static_cast<std::uint64_t>(seedSpin_->value());
  show(QStringLiteral("%1|between|%2|%3|%4|%5")
           .arg(QString::fromStdString(model->path()))
           .arg(level)
           .arg(width)
           .arg(seed)
           .arg(t, 0, 'f', 3),
       [model, seed, t, level, width] {
         return RenderOutput{toQImage(model->between(seed, t, level, width)), {}};
       });
}

bool SingleImagePage::paintFrom(const QString& painting) {
  if (isInstant()) {
    const SingleImageState& s = document_->singleImage();
    if (painting.isEmpty() || s.imageA.isEmpty() || (s.pair && s.imageB.isEmpty())) {
      fail(tr("Choose the picture(s) and a painting first."));
      return false;
    }
    const QString out =
        freshPath(settings_->effectiveOutputFolder(),
                  QFileInfo(painting).completeBaseName() + QStringLiteral("_painted"),
                  QStringLiteral(".png"));
    if (!startInstant(tr("Painting %1 with the patches of %2")
                          .arg(QFileInfo(painting).fileName(),
                               QFileInfo(s.pair ? s.imageB : s.imageA).fileName()),
                      instantPaintJob(instantRequest(), painting, out))) {
      return false;
    }
    pendingPaint_ = out;
    return true;
  }
  if (!model_ || painting.isEmpty()) {
    fail(tr("Train or load a model and choose a painting first."));
    return false;
  }
  const auto model = model_;
  const int level = levelSpin_->value();
  const auto seed = static_cast<std::uint64_t>(seedSpin_->value());
  const std::string path = painting.toStdString();
  show(QStringLiteral("%1|paint|%2|%3|%4")
           .arg(QString::fromStdString(model->path()), painting)
           .arg(level)
           .arg(seed),
       [model, path, level, seed] {
         return RenderOutput{toQImage(model->paint(atelier::load_image(path), level, seed)), {}};
       });
  return true;
}

void SingleImagePage::onRendered(const QString& key, const RenderOutput& output, bool) {
  cache_.insert(key, output.image);
  levelStrip_->setPicture(key, output.image);
  bool gridCell = false;
  for (int i = 0; i < grid_->count(); ++i) {
    if (grid_->item(i)->data(Qt::UserRole).toString() == key) {
      grid_->item(i)->setIcon(gridIcon(output.image));
      gridCell = true;
    }
  }
  if (gridCell && renderedGridCount() == grid_->count()) Q_EMIT gridReady();
  if (key != wantedKey_) return;
  canvas_->setImage(output.image);
  shownKey_ = key;
  Q_EMIT resultShown(key);
}

bool SingleImagePage::train() {
  if (!document_) return false;
  // What the choosers show is what the user means, chosen or not.
  choose(modeChooser_->currentData().toBool(), imageA_->currentData().toString(),
         imageB_->currentData().toString());
  const SingleImageState s = document_->singleImage();
  if (s.imageA.isEmpty() || (s.pair && s.imageB.isEmpty())) {
    fail(s.pair ? tr("Choose two pictures first.") : tr("Choose a picture first."));
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
  if (s.instant) {
    InstantRequest request = instantRequest();
    request.folder = freshPath(
        folder,
        QFileInfo(s.imageA).completeBaseName() +
            (s.pair ? QLatin1Char('_') + QFileInfo(s.imageB).completeBaseName() : QString()) +
            QStringLiteral("_instant"));
    const QString title =
        s.pair ? tr("Instant analogy of %1 and %2")
                     .arg(QFileInfo(s.imageA).fileName(), QFileInfo(s.imageB).fileName())
               : tr("Instant samples of %1").arg(QFileInfo(s.imageA).fileName());
    if (!startInstant(title, instantPicturesJob(request))) return false;
    pendingFolder_ = request.folder;
    return true;
  }
  const QString method = s.pair ? QStringLiteral("analogy") : QStringLiteral("singan");
  trainingOut_ =
      freshPath(folder, QFileInfo(s.imageA).completeBaseName() + QLatin1Char('_') + method,
                QStringLiteral(".atl"));
  atelier::TrainOptions options;
  options.out = trainingOut_.toStdString();
  options.compute = settings_->compute();
  options.preview_every = kPreviewEvery;
  const std::string preset = presetChooser_->currentText().toStdString();
  const std::string a = s.imageA.toStdString(), b = s.imageB.toStdString();
  const bool pair = s.pair;
  auto run = [pair, a, b, preset, options](const atelier::Callbacks& callbacks, bool resume) {
    atelier::TrainOptions o = options;
    if (resume) o.resume = o.out;
    const atelier::Preset loaded = atelier::load_preset(pair ? "analogy" : "singan", preset);
    const atelier::Image first = atelier::load_image(a);
    atelier::TrainResult r;
    if (pair) {
      // The analogy learns one size; the studio fits the second picture to the first.
      atelier::Image second = atelier::load_image(b);
      if (second.width != first.width || second.height != first.height) {
        second = atelier::resize_image(second, first.width, first.height);
      }
      r = atelier::train_analogy(first, second, loaded, o, callbacks);
    } else {
      r = atelier::train_singan(first, loaded, o, callbacks);
    }
    return r.finished;
  };
  JobSpec spec;
  spec.title = s.pair ? tr("Training an analogy of %1 and %2")
                            .arg(QFileInfo(s.imageA).fileName(), QFileInfo(s.imageB).fileName())
                      : tr("Training on %1").arg(QFileInfo(s.imageA).fileName());
  spec.owner = this;
  spec.run = [run](const atelier::Callbacks& c) { return run(c, false); };
  spec.resume = [run](const atelier::Callbacks& c) { return run(c, true); };
  statusLabel_->setText(tr("Training… the model will be written to %1").arg(trainingOut_));
  return runner_->start(std::move(spec));
}

InstantRequest SingleImagePage::instantRequest() const {
  const SingleImageState& s = document_->singleImage();
  InstantRequest request;
  request.pair = s.pair;
  request.imageA = s.imageA;
  request.imageB = s.imageB;
  request.preset = presetChooser_->currentText();
  request.seed = static_cast<std::uint64_t>(seedSpin_->value());
  request.samples = kGridSize;
  request.widthScale = widthSpin_->value();
  request.compute = settings_->compute();
  return request;
}

bool SingleImagePage::startInstant(const QString& title, EngineJob job) {
  if (runner_->isRunning()) {
    fail(runner_->busyMessage());
    return false;
  }
  JobSpec spec;
  spec.title = title;
  spec.owner = this;
  spec.run = std::move(job);
  statusLabel_->setText(tr("%1… the pictures sharpen level by level.").arg(title));
  return runner_->start(std::move(spec));
}

void SingleImagePage::onPreview(const QImage& image) {
  if (runner_->owner() != this || (pendingFolder_.isEmpty() && pendingPaint_.isEmpty())) return;
  wantedKey_.clear();  // a preview replaces whatever was asked to be shown
  shownKey_ = QStringLiteral("instant|preview");
  canvas_->setImage(image);
}

void SingleImagePage::onInstantJobFinished(bool completed) {
  const QString folder = pendingFolder_, painted = pendingPaint_;
  pendingFolder_.clear();
  pendingPaint_.clear();
  if (!completed) {
    statusLabel_->setText(tr("Stopped; nothing was written."));
    return;
  }
  if (!painted.isEmpty()) {
    statusLabel_->setText(tr("Painted: %1").arg(painted));
    show(QStringLiteral("instant|paint|") + painted, [painted] {
      return RenderOutput{QImage(painted), {}};
    });
    return;
  }
  statusLabel_->setText(tr("Made in seconds, without training: %1").arg(folder));
  SingleImageState next = document_->singleImage();
  next.results = folder;
  document_->undoStack()->push(new SetSingleImageCommand(
      document_, next, tr("Make pictures from %1").arg(QFileInfo(next.imageA).fileName())));
}

void SingleImagePage::onJobFinished(bool completed) {
  updateControls();
  if (runner_->owner() != this) return;
  if (!pendingFolder_.isEmpty() || !pendingPaint_.isEmpty()) return onInstantJobFinished(completed);
  if (!completed) {
    statusLabel_->setText(
        tr("Training stopped; %1 is resumable (Resume in the training panel).").arg(trainingOut_));
    return;
  }
  statusLabel_->setText(tr("Trained: %1").arg(trainingOut_));
  loadModelFile(trainingOut_);
}

void SingleImagePage::loadModelFile(const QString& path) {
  if (!document_) return;
  SingleImageState next = document_->singleImage();
  next.model = path;
  next.instant = false;  // a model is a learned result: the page shows it, not instant pictures
  if (next == document_->singleImage()) {
    modelPath_.clear();  // the same file written again: load it anew
    onStateChanged();
    return;
  }
  document_->undoStack()->push(new SetSingleImageCommand(
      document_, next, tr("Use model %1").arg(QFileInfo(path).fileName())));
}

void SingleImagePage::updateControls() {
  const bool instant = isInstant();
  const bool pair = document_ && document_->singleImage().pair;
  const bool busy = runner_->isRunning();
  imageB_->setEnabled(pair);
  loadButton_->setEnabled(!instant);
  trainButton_->setText(instant ? tr("Generate") : tr("Train"));
  trainButton_->setEnabled(!busy && imageA_->count() > 0);
  widthSpin_->setEnabled(!pair && (instant || model_));
  betweenSlider_->setEnabled(!instant && !pair && model_);
  levelSpin_->setEnabled(!instant && model_);
  const bool ready = instant ? !busy && imageA_->count() > 0 : bool(model_);
  for (QWidget* w : std::initializer_list<QWidget*>{seedSpin_, newSamplesButton_, paintingChooser_,
                                                    paintButton_}) {
    w->setEnabled(ready);
  }
}

}  // namespace atelier::ui
