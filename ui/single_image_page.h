// single_image_page.h — the "Single image & analogy" workspace: pick one picture (SinGAN family)
// or two (structural analogy), train; then browse random samples (any width, from any level),
// a->b and b->a with an injection level, slide between two samples, and turn a rough painting
// into an image. Pictures come from the renderer thread.
#pragma once

#include <QHash>
#include <QWidget>
#include <memory>

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
class JobRunner;
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
  bool train();
  void loadModelFile(const QString& path);
  void newSamples();           // the next seeds
  void showBetween(double t);  // singan: between the first two samples
  bool paintFrom(const QString& painting);

  bool hasModel() const { return bool(model_); }
  QListWidget* grid() const { return grid_; }
  ImageCanvas* canvas() const { return canvas_; }
  QSpinBox* levelSpin() const { return levelSpin_; }
  QDoubleSpinBox* widthSpin() const { return widthSpin_; }
  QSlider* betweenSlider() const { return betweenSlider_; }
  QComboBox* presetChooser() const { return presetChooser_; }
  QString shownKey() const { return shownKey_; }
  int renderedGridCount() const;  // grid pictures that have arrived

 Q_SIGNALS:
  void modelReady(const QString& path);
  void gridReady();
  void resultShown(const QString& key);
  void errorOccurred(const QString& message);

 private:
  void onStateChanged();
  void onModelLoaded(const QString& path, std::shared_ptr<const SingleImageModel> model,
                     const QString& error);
  void onRendered(const QString& key, const RenderOutput& output, bool interactive);
  void onJobFinished(bool completed);
  void refreshChoosers();
  void refreshGrid();
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
  QListWidget* grid_;
  ImageCanvas* canvas_;
  QSlider* betweenSlider_;
  QLabel* statusLabel_;

  QHash<QString, QImage> cache_;
  QString wantedKey_;
  QString shownKey_;
  QString trainingOut_;
};

}  // namespace atelier::ui
