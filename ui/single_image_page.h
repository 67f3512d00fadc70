// single_image_page.h — the "Single image & analogy" workspace: pick one picture or two. Instant
// (patches, the default): Generate makes new samples (any width) or a->b and b->a from the
// pictures' own patches in seconds, shown level by level as they sharpen; Paint to image turns a
// rough painting into a picture. Learned model (GAN): train a SinGAN-family model (one picture)
// or a structural analogy (two); then browse random samples (any width, from any level), a->b and
// b->a with an injection level, slide between two samples, and paint. Pictures come from the
// renderer thread; instant results are PNG files in the output folder.
#pragma once

#include <QHash>
#include <QWidget>
#include <memory>

#include "instant_pictures.h"
#include "job_runner.h"
#include "level_strip.h"
#include "model_loader.h"
#include "preview_renderer.h"
#include "single_image_model.h"
#include "single_image_state.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QPushButton;
class QSlider;
class QSpinBox;

namespace atelier::ui {

class Document;
class ImageCanvas;
struct StudioSettings;

class SingleImagePage : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kGridSize = 6;  // pictures in the browser grid

  explicit SingleImagePage(JobRunner* runner, QWidget* parent = nullptr);
  ~SingleImagePage() override;

  void setDocument(Document* document);
  void setSettings(const StudioSettings& settings);

  void choose(bool pair, const QString& imageA, const QString& imageB);
  void chooseInstant(bool instant);  // the method: instant (patches) or a learned model
  // Learned: trains a model. Instant: makes the pictures (a job, like training).
  bool train();
  void loadModelFile(const QString& path);
  void newSamples();           // the next seeds
  void showBetween(double t);  // singan: between the first two samples
  bool paintFrom(const QString& painting);

  bool hasModel() const { return bool(model_); }
  bool isInstant() const;
  QString resultsFolder() const { return resultsPath_; }  // instant: the latest results shown
  QListWidget* grid() const { return grid_; }
  ImageCanvas* canvas() const { return canvas_; }
  QSpinBox* levelSpin() const { return levelSpin_; }
  LevelStrip* levelStrip() const { return levelStrip_; }  // analogy: a->b and b->a per level
  QDoubleSpinBox* widthSpin() const { return widthSpin_; }
  QSlider* betweenSlider() const { return betweenSlider_; }
  QComboBox* presetChooser() const { return presetChooser_; }
  QComboBox* methodChooser() const { return methodChooser_; }
  QPushButton* trainButton() const { return trainButton_; }
  QString shownKey() const { return shownKey_; }
  int renderedGridCount() const;  // grid pictures that have arrived

 Q_SIGNALS:
  void modelReady(const QString& path);
  void resultsReady(const QString& folder);  // instant pictures made and shown in the grid
  void gridReady();
  void resultShown(const QString& key);
  void errorOccurred(const QString& message);

 private:
  void onStateChanged();
  void onModelLoaded(const QString& path, std::shared_ptr<const SingleImageModel> model,
                     const QString& error);
  void onRendered(const QString& key, const RenderOutput& output, bool interactive);
  void onJobFinished(bool completed);
  void onInstantJobFinished(bool completed);
  void onPreview(const QImage& image);
  bool startInstant(const QString& title, EngineJob job);
  InstantRequest instantRequest() const;
  void refreshPresets(const QString& wanted);  // the method's presets, `wanted` chosen
  void refreshChoosers();
  void refreshGrid();
  void refreshLevelStrip();
  void show(const QString& key, RenderFunction render);
  void fail(const QString& message);
  void updateControls();

  JobRunner* runner_;
  Document* document_ = nullptr;
  std::unique_ptr<StudioSettings> settings_;
  PreviewRenderer* renderer_;
  std::shared_ptr<const SingleImageModel> model_;
  ModelLoader<SingleImageModel> loader_{this};
  QString modelPath_;  // the model file the page shows (or is loading)

  QComboBox* methodChooser_;
  QComboBox* modeChooser_;
  QComboBox* imageA_;
  QComboBox* imageB_;
  QComboBox* presetChooser_;
  QPushButton* trainButton_;
  QPushButton* loadButton_;
  QLabel* modelLabel_;
  QSpinBox* levelSpin_;
  QDoubleSpinBox* widthSpin_;
  QSpinBox* seedSpin_;
  QPushButton* newSamplesButton_;
  QComboBox* paintingChooser_;
  QPushButton* paintButton_;
  LevelStrip* levelStrip_;
  QListWidget* grid_;
  ImageCanvas* canvas_;
  QSlider* betweenSlider_;
  QLabel* statusLabel_;

  QHash<QString, QImage> cache_;
  QString wantedKey_;
  QString shownKey_;
  QString trainingOut_;
  QString resultsPath_;    // instant: the results folder the grid shows
  QString pendingFolder_;  // instant: where the running job writes its pictures
  QString pendingPaint_;   // instant: where the running paint job writes its picture
};

}  // namespace atelier::ui
