// sliders_page.h — the "Latent sliders" workspace: for the chosen image, a slider per attribute
// strength (its separate code scaled) and a slider that moves its common code toward a second
// image's. The canvas follows the sliders live (renderer thread, latest request wins); a whole
// drag is one undo step. The interpolation exports as a PNG strip, a GIF or an MP4.
#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QWidget>
#include <memory>

#include "preview_renderer.h"
#include "transfer_state.h"

class QComboBox;
class QLabel;
class QPushButton;
class QSlider;

namespace atelier::ui {

class Document;
class ImageCanvas;
class TransferModel;
struct SliderCodeCache;

class SlidersPage : public QWidget {
  Q_OBJECT

 public:
  explicit SlidersPage(QWidget* parent = nullptr);
  ~SlidersPage() override;

  void setDocument(Document* document);
  void setModel(std::shared_ptr<const TransferModel> model);  // null: none

  void chooseImages(const QString& image, const QString& second);
  // Writes the common-code interpolation from the image to the second one, `steps` frames, as a
  // PNG strip, a GIF or an MP4 (by the extension); the result comes as exported().
  bool exportInterpolation(const QString& fileName, int steps);

  QSlider* slider(SliderState::Field field) const { return sliders_[field]; }
  QComboBox* imageChooser() const { return imageChooser_; }
  QComboBox* secondChooser() const { return secondChooser_; }
  ImageCanvas* canvas() const { return canvas_; }
  PreviewRenderer* renderer() const { return renderer_; }
  QString shownKey() const { return shownKey_; }
  double lastLatencyMs() const { return lastLatencyMs_; }  // request to shown, last result

  static constexpr int kExportSteps = 8;

 Q_SIGNALS:
  void resultShown(const QString& key, double latencyMs);
  void exported(const QString& fileName, const QString& error);
  void errorOccurred(const QString& message);

 private:
  void onSlidersChanged();
  void onSliderMoved(SliderState::Field field, int position);
  void onRendered(const QString& key, const RenderOutput& output, bool interactive);
  void refreshChoosers();
  void requestRender();
  void updateEnabled();

  Document* document_ = nullptr;
  std::shared_ptr<const TransferModel> model_;
  std::shared_ptr<SliderCodeCache> codes_;  // used on the renderer thread only
  PreviewRenderer* renderer_;
  ImageCanvas* canvas_;
  QComboBox* imageChooser_;
  QComboBox* secondChooser_;
  QSlider* sliders_[SliderState::FieldCount];
  QLabel* valueLabels_[SliderState::FieldCount];
  QPushButton* exportButton_;
  QLabel* statusLabel_;

  int dragSerial_ = 0;  // number of the slider drag in progress; 0: none
  int drags_ = 0;
  QString shownKey_;
  QString wantedKey_;
  QElapsedTimer sinceRequest_;
  double lastLatencyMs_ = -1;
};

}  // namespace atelier::ui
