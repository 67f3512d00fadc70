#include "sliders_page.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QVBoxLayout>
#include <algorithm>
#include <map>

#include "atelier/error.h"
#include "atelier/image.h"
#include "atelier/video.h"
#include "document.h"
#include "image_canvas.h"
#include "image_convert.h"
#include "slider_commands.h"
#include "transfer_model.h"

namespace atelier::ui {

// Images and their codes by path, kept between slider moves so a move costs one generate().
// Only the renderer thread touches it.
struct SliderCodeCache {
  std::shared_ptr<const TransferModel> model;
  std::map<std::string, std::pair<atelier::Image, atelier::DisentangleCodes>> entries;

  const std::pair<atelier::Image, atelier::DisentangleCodes>& get(const std::string& path) {
    auto it = entries.find(path);
    if (it == entries.end()) {
      atelier::Image image = atelier::load_image(path);
      atelier::DisentangleCodes codes = model->encode(image);
      it = entries.emplace(path, std::make_pair(std::move(image), std::move(codes))).first;
    }
    return it->second;
  }
};

namespace {

constexpr int kScale = 100;  // slider positions per unit

atelier::LatentCode lerp(const atelier::LatentCode& p, const atelier::LatentCode& q, double t) {
  atelier::LatentCode out = p;
  for (std::size_t i = 0; i < out.values.size() && i < q.values.size(); ++i) {
    out.values[i] = static_cast<float>((1 - t) * p.values[i] + t * q.values[i]);
  }
  return out;
}

atelier::LatentCode scaled(atelier::LatentCode code, double s) {
  for (float& v : code.values) v = static_cast<float>(v * s);
  return code;
}

// The codes of `image` with the sliders applied.
atelier::DisentangleCodes edited(SliderCodeCache& cache, const std::string& image,
                                 const std::string& second, double strengthA, double strengthB,
                                 double toward) {
  atelier::DisentangleCodes codes = cache.get(image).second;
  if (!second.empty() && toward > 0) {
    codes.common = lerp(codes.common, cache.get(second).second.common, toward);
  }
  codes.a = scaled(codes.a, strengthA);
  codes.b = scaled(codes.b, strengthB);
  return codes;
}

}  // namespace

SlidersPage::SlidersPage(QWidget* parent)
    : QWidget(parent),
      renderer_(new PreviewRenderer(this)),
      canvas_(new ImageCanvas),
      imageChooser_(new QComboBox),
      secondChooser_(new QComboBox),
      exportButton_(new QPushButton(tr("Export interpolation…"))),
      statusLabel_(new QLabel) {
  const QString names[SliderState::FieldCount] = {tr("Attribute A strength"),
                                                  tr("Attribute B strength"),
                                                  tr("Common code toward the second image")};
  const int maxima[SliderState::FieldCount] = {2 * kScale, 2 * kScale, kScale};
  auto* grid = new QGridLayout;
  grid->addWidget(new QLabel(tr("Image:")), 0, 0);
  grid->addWidget(imageChooser_, 0, 1, 1, 2);
  grid->addWidget(new QLabel(tr("Second image:")), 1, 0);
  grid->addWidget(secondChooser_, 1, 1, 1, 2);
  for (int f = 0; f < SliderState::FieldCount; ++f) {
    const auto field = static_cast<SliderState::Field>(f);
    sliders_[f] = new QSlider(Qt::Horizontal);
    sliders_[f]->setRange(0, maxima[f]);
    sliders_[f]->setPageStep(kScale / 10);
    valueLabels_[f] = new QLabel;
    valueLabels_[f]->setMinimumWidth(48);
    // The name on its own line, the slider under it at the full width of the column.
    grid->addWidget(new QLabel(names[f]), 2 + 2 * f, 0, 1, 3);
    grid->addWidget(sliders_[f], 3 + 2 * f, 0, 1, 2);
    grid->addWidget(valueLabels_[f], 3 + 2 * f, 2);
    connect(sliders_[f], &QSlider::sliderPressed, this, [this] { dragSerial_ = ++drags_; });
    connect(sliders_[f], &QSlider::sliderReleased, this, [this] { dragSerial_ = 0; });
    connect(sliders_[f], &QSlider::valueChanged, this,
            [this, field](int position) { onSliderMoved(field, position); });
  }
  grid->setColumnStretch(1, 1);
  statusLabel_->setWordWrap(true);

  auto* controls = new QVBoxLayout;
  controls->addLayout(grid);
  controls->addWidget(exportButton_);
  controls->addWidget(statusLabel_);
  controls->addStretch(1);
  auto* controlBox = new QWidget;
  controlBox->setLayout(controls);
  controlBox->setMinimumWidth(360);
  controlBox->setMaximumWidth(460);
  auto* layout = new QHBoxLayout(this);
  layout->addWidget(controlBox);
  layout->addWidget(canvas_, 1);

  auto chosen = [this] {
    if (!document_) return;
    const QString image = imageChooser_->currentData().toString();
    const QString second = secondChooser_->currentData().toString();
    const SliderState& s = document_->sliders();
    if (image != s.image || second != s.second) chooseImages(image, second);
  };
  connect(imageChooser_, &QComboBox::activated, this, chosen);
  connect(secondChooser_, &QComboBox::activated, this, chosen);
  connect(exportButton_, &QPushButton::clicked, this, [this] {
    const QString fileName = QFileDialog::getSaveFileName(
        this, tr("Export interpolation"), QString(),
        tr("PNG strip (*.png);;Animated GIF (*.gif);;MP4 video (*.mp4)"));
    if (!fileName.isEmpty()) exportInterpolation(fileName, kExportSteps);
  });
  connect(renderer_, &PreviewRenderer::rendered, this, &SlidersPage::onRendered);
  connect(renderer_, &PreviewRenderer::renderFailed, this,
          [this](const QString& key, const QString& message) {
            statusLabel_->setText(message);
            if (key.startsWith(QStringLiteral("export|"))) {
              Q_EMIT exported(key.mid(7), message);
            }
            Q_EMIT errorOccurred(message);
          });
  canvas_->setMessage(
      tr("Train or load a model in Attribute transfer, then choose an image: the "
         "sliders change its attributes and move it toward a second image."));
  updateEnabled();
}

SlidersPage::~SlidersPage() = default;

void SlidersPage::setDocument(Document* document) {
  if (document_) disconnect(document_, nullptr, this, nullptr);
  document_ = document;
  if (!document_) return;
  connect(document_, &Document::slidersChanged, this, &SlidersPage::onSlidersChanged);
  connect(document_, &Document::galleryChanged, this, &SlidersPage::refreshChoosers);
  connect(document_, &Document::mediaInserted, this, &SlidersPage::refreshChoosers);
  connect(document_, &Document::mediaRemoved, this, &SlidersPage::refreshChoosers);
  refreshChoosers();
  onSlidersChanged();
}

void SlidersPage::setModel(std::shared_ptr<const TransferModel> model) {
  model_ = std::move(model);
  codes_ = std::make_shared<SliderCodeCache>();  // codes belong to one model
  codes_->model = model_;
  renderer_->reset();
  shownKey_.clear();
  updateEnabled();
  requestRender();
}

void SlidersPage::refreshChoosers() {
  if (!document_) return;
  QStringList images = document_->transfer().galleryA + document_->transfer().galleryB;
  for (int i = 0; i < document_->mediaCount(); ++i) {
    if (document_->media(i).kind == MediaKind::Image) images.append(document_->media(i).path);
  }
  images.removeDuplicates();
  for (QComboBox* chooser : {imageChooser_, secondChooser_}) {
    const QSignalBlocker blocker(chooser);
    chooser->clear();
    for (const QString& path : images) chooser->addItem(QFileInfo(path).fileName(), path);
  }
  const SliderState& s = document_->sliders();
  imageChooser_->setCurrentIndex(imageChooser_->findData(s.image));
  secondChooser_->setCurrentIndex(secondChooser_->findData(s.second));
  updateEnabled();
}

void SlidersPage::chooseImages(const QString& image, const QString& second) {
  if (document_) document_->undoStack()->push(new SetSliderImagesCommand(document_, image, second));
}

void SlidersPage::onSliderMoved(SliderState::Field field, int position) {
  if (!document_) return;
  const double value = double(position) / kScale;
  if (value == document_->sliders().values[field]) return;  // the document set it
  document_->undoStack()->push(new SetSliderCommand(document_, field, value, dragSerial_));
}

void SlidersPage::onSlidersChanged() {
  if (!document_) return;
  const SliderState& s = document_->sliders();
  for (int f = 0; f < SliderState::FieldCount; ++f) {
    const QSignalBlocker blocker(sliders_[f]);
    sliders_[f]->setValue(qRound(s.values[f] * kScale));
    valueLabels_[f]->setText(f == SliderState::Toward
                                 ? QStringLiteral("%1 %").arg(qRound(s.values[f] * 100))
                                 : QStringLiteral("× %1").arg(s.values[f], 0, 'f', 2));
  }
  {
    const QSignalBlocker a(imageChooser_), b(secondChooser_);
    imageChooser_->setCurrentIndex(imageChooser_->findData(s.image));
    secondChooser_->setCurrentIndex(secondChooser_->findData(s.second));
  }
  updateEnabled();
  requestRender();
}

void SlidersPage::requestRender() {
  if (!document_ || !model_) return;
  const SliderState s = document_->sliders();
  if (s.image.isEmpty()) return;
  const QString key = QStringLiteral("%1|%2|%3|%4|%5|%6")
                          .arg(QString::fromStdString(model_->path()), s.image, s.second)
                          .arg(s.values[0], 0, 'f', 3)
                          .arg(s.values[1], 0, 'f', 3)
                          .arg(s.values[2], 0, 'f', 3);
  wantedKey_ = key;
  sinceRequest_.start();
  auto cache = codes_;
  const std::string image = s.image.toStdString(), second = s.second.toStdString();
  renderer_->request(key, [cache, image, second, s] {
    const atelier::DisentangleCodes codes =
        edited(*cache, image, second, s.values[SliderState::StrengthA],
               s.values[SliderState::StrengthB], s.values[SliderState::Toward]);
    const TransferModel::Output out = cache->model->generate(cache->get(image).first, codes);
    return RenderOutput{toQImage(out.image), {}};
  });
}

void SlidersPage::onRendered(const QString& key, const RenderOutput& output, bool) {
  if (key.startsWith(QStringLiteral("export|"))) {
    statusLabel_->setText(tr("Wrote %1").arg(key.mid(7)));
    Q_EMIT exported(key.mid(7), QString());
    return;
  }
  if (key != wantedKey_) return;
  canvas_->setImage(output.image);
  shownKey_ = key;
  lastLatencyMs_ = sinceRequest_.nsecsElapsed() / 1e6;
  Q_EMIT resultShown(key, lastLatencyMs_);
}

bool SlidersPage::exportInterpolation(const QString& fileName, int steps) {
  if (!document_ || !model_ || document_->sliders().image.isEmpty() ||
      document_->sliders().second.isEmpty() || steps < 2) {
    Q_EMIT exported(fileName, tr("Choose an image and a second image first."));
    return false;
  }
  const SliderState s = document_->sliders();
  auto cache = codes_;
  const std::string image = s.image.toStdString(), second = s.second.toStdString();
  const std::string out = fileName.toStdString();
  renderer_->enqueue(QStringLiteral("export|") + fileName, [cache, image, second, s, steps, out] {
    atelier::Video video;
    video.fps = 4;
    for (int i = 0; i < steps; ++i) {
      const double t = double(i) / (steps - 1);
      const atelier::DisentangleCodes codes =
          edited(*cache, image, second, s.values[SliderState::StrengthA],
                 s.values[SliderState::StrengthB], t);
      video.frames.push_back(cache->model->generate(cache->get(image).first, codes).image);
    }
    if (QFileInfo(QString::fromStdString(out))
            .suffix()
            .compare(QLatin1String("png"), Qt::CaseInsensitive) == 0) {
      atelier::save_image(atelier::make_grid(video.frames, steps), out);
    } else {
      atelier::write_video(video, out);  // .gif or .mp4; anything else is refused by name
    }
    return RenderOutput{};
  });
  statusLabel_->setText(tr("Exporting %1…").arg(fileName));
  return true;
}

void SlidersPage::updateEnabled() {
  const bool ready = model_ && document_ && !document_->sliders().image.isEmpty();
  for (QSlider* slider : sliders_) slider->setEnabled(ready);
  sliders_[SliderState::Toward]->setEnabled(ready && !document_->sliders().second.isEmpty());
  exportButton_->setEnabled(ready && !document_->sliders().second.isEmpty());
  if (!model_) {
    statusLabel_->setText(tr("No model yet: train or load one in Attribute transfer."));
  } else if (document_ && document_->sliders().image.isEmpty()) {
    statusLabel_->setText(tr("Choose an image."));
  } else {
    statusLabel_->setText(
        tr("Model: %1").arg(QFileInfo(QString::fromStdString(model_->path())).fileName()));
  }
}

}  // namespace atelier::ui
