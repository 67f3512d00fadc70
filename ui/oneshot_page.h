// oneshot_page.h — the "One-shot translation" workspace: choose a folder of B pictures (or a
// phase I model trained on one), drop one picture of domain A, press Train (phase I when there
// is none yet, then phase II on that one picture; progress, previews and losses in the training
// panel), and see the translation to B beside the picture. Any other picture dropped then is
// translated at once, on the renderer thread (the latest drop wins).
#pragma once

#include <QHash>
#include <QImage>
#include <QWidget>
#include <memory>

#include "job_runner.h"
#include "model_loader.h"
#include "oneshot_state.h"
#include "oneshot_translator.h"
#include "preview_renderer.h"

class QComboBox;
class QLabel;
class QPushButton;

namespace atelier::ui {

class Document;
class DropCanvas;
class ImageCanvas;
struct StudioSettings;

class OneshotPage : public QWidget {
  Q_OBJECT

 public:
  explicit OneshotPage(JobRunner* runner, QWidget* parent = nullptr);
  ~OneshotPage() override;

  void setDocument(Document* document);
  void setSettings(const StudioSettings& settings);

  // Each is one undo step; false (and a message) when refused.
  bool chooseBFolder(const QString& folder);
  bool useModelFile(const QString& path);  // phase I: the B side; phase II: the translation
  bool dropPicture(const QString& path);
  // Trains phase I (unless there is one) and phase II on the picture shown.
  bool train();

  bool hasModel() const { return bool(translator_); }  // a phase II model is loaded
  QString shownKey() const { return shownKey_; }       // the translation shown
  QString statusText() const;
  DropCanvas* pictureCanvas() const { return pictureCanvas_; }
  ImageCanvas* translationCanvas() const { return translationCanvas_; }
  QComboBox* presetChooser() const { return presetChooser_; }
  QPushButton* trainButton() const { return trainButton_; }

 Q_SIGNALS:
  void modelReady(const QString& path);
  void translationShown(const QString& key);
  void errorOccurred(const QString& message);

 private:
  void onStateChanged();
  void onModelLoaded(const QString& path, std::shared_ptr<const OneshotTranslator> translator,
                     const QString& error);
  void onRendered(const QString& key, const RenderOutput& output);
  void onJobFinished(bool completed);
  void requestTranslation();
  void refreshPresets(const QString& wanted);
  void refreshLabels();
  void push(const OneshotState& next, const QString& text);
  void fail(const QString& message);
  void updateControls();

  JobRunner* runner_;
  Document* document_ = nullptr;
  std::unique_ptr<StudioSettings> settings_;
  PreviewRenderer* renderer_;
  std::shared_ptr<const OneshotTranslator> translator_;
  ModelLoader<OneshotTranslator> loader_{this};
  QString modelPath_;  // the phase II model the page shows (or is loading)

  QLabel* bLabel_;
  QPushButton* folderButton_;
  QPushButton* modelButton_;
  QComboBox* presetChooser_;
  QPushButton* trainButton_;
  QPushButton* pictureButton_;
  QLabel* pictureLabel_;
  QLabel* modelLabel_;
  DropCanvas* pictureCanvas_;
  ImageCanvas* translationCanvas_;
  QLabel* statusLabel_;

  QHash<QString, QImage> cache_;  // translations by key (undo and redo show them at once)
  QString wantedKey_;
  QString shownKey_;
  QString pendingBase_;  // the running job's phase I and phase II files
  QString pendingOut_;
};

}  // namespace atelier::ui
