// attribute_transfer_page.h — the "Attribute transfer" workspace (disentangle / masktransfer):
// two galleries, domain A and domain B; train a model from them (or load one); then drag a
// thumbnail onto the canvas to give the chosen image that thumbnail's attribute. Every drop and
// removal is one undo step in the document's history; results are rendered on the renderer
// thread (latest request wins) and the strip below keeps them.
#pragma once

#include <QHash>
#include <QImage>
#include <QWidget>
#include <memory>

#include "model_loader.h"
#include "preview_renderer.h"
#include "transfer_model.h"
#include "transfer_state.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;

namespace atelier::ui {

class Document;
class GalleryView;
class JobRunner;
class ThumbnailLoader;
class TransferCanvas;
struct StudioSettings;

class AttributeTransferPage : public QWidget {
  Q_OBJECT

 public:
  AttributeTransferPage(JobRunner* runner, ThumbnailLoader* thumbnails, QWidget* parent = nullptr);
  ~AttributeTransferPage() override;

  void setDocument(Document* document);
  void setSettings(const StudioSettings& settings);

  // What the buttons and drops do (also for tests).
  void addToGallery(Domain domain, const QStringList& paths);
  void removeFromGallery(Domain domain, const QStringList& paths);
  bool train();
  void loadModelFile(const QString& path);
  void chooseTarget(const QString& path);
  bool transferFrom(const QString& source, Domain domain);  // onto the chosen image
  bool removeAttributes();
  void showStep(int index);  // a history entry; -1: the chosen image itself

  GalleryView* gallery(Domain domain) const;
  TransferCanvas* canvas() const { return canvas_; }
  QListWidget* historyStrip() const { return history_; }
  QComboBox* methodChooser() const { return methodChooser_; }
  QComboBox* presetChooser() const { return presetChooser_; }
  QCheckBox* maskToggle() const { return maskToggle_; }
  bool hasModel() const { return bool(model_); }
  // The loaded model (null while none): the Latent sliders workspace renders with it too.
  std::shared_ptr<const TransferModel> model() const { return model_; }
  QString target() const { return target_; }
  QString shownKey() const { return shownKey_; }  // what the canvas shows now
  QString statusText() const;
  QString statusToolTip() const;  // details of the status line, when it has any

 Q_SIGNALS:
  void modelReady(const QString& path);
  void modelChanged();  // loaded, or let go
  void resultShown(const QString& key);
  void errorOccurred(const QString& message);

 private:
  void onModelPathChanged(const QString& path);
  void onModelLoaded(const QString& path, std::shared_ptr<const TransferModel> model,
                     const QString& error);
  void onHistoryChanged();
  void onRendered(const QString& key, const RenderOutput& output, bool interactive);
  void onJobFinished(bool completed);
  void refreshGallery(Domain domain);
  void requestStep(const TransferStep& step, bool interactive);
  QString stepKey(const TransferStep& step) const;
  void setStatus(const QString& text);
  void fail(const QString& message);
  void updateButtons();

  JobRunner* runner_;
  Document* document_ = nullptr;
  std::unique_ptr<StudioSettings> settings_;
  PreviewRenderer* renderer_;
  std::shared_ptr<const TransferModel> model_;
  ModelLoader<TransferModel> loader_{this};

  GalleryView* galleryA_;
  GalleryView* galleryB_;
  TransferCanvas* canvas_;
  QListWidget* history_;
  QComboBox* methodChooser_;
  QComboBox* presetChooser_;
  QPushButton* trainButton_;
  QPushButton* loadButton_;
  QPushButton* removeButton_;
  QCheckBox* maskToggle_;
  QLabel* modelLabel_;
  QLabel* statusLabel_;

  QString target_;
  QString shownKey_;
  QString wantedKey_;                   // what the canvas should show once rendered
  QHash<QString, RenderOutput> cache_;  // rendered results by key (history icons)
  QString trainingOut_;
};

}  // namespace atelier::ui
