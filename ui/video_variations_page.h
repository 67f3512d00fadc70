// video_variations_page.h — the "Video variations" workspace: pick a video of the project, press
// one button; the new videos play next to it. Instant (patches, the default) makes them at once
// from the clip's space-time patches (patchnn); Learned model (GAN) has videogen learn the clip
// first. Either runs on the job thread, with progress and previews in the training panel.
#pragma once

#include <QString>
#include <QVector>
#include <QWidget>
#include <memory>
#include <string>
#include <vector>

#include "atelier/video.h"

class QComboBox;
class QGridLayout;
class QLabel;
class QPushButton;
class QSpinBox;

namespace atelier::ui {

class Document;
class JobRunner;
class VideoPlayer;
struct StudioSettings;

class VideoVariationsPage : public QWidget {
  Q_OBJECT

 public:
  static constexpr const char* kWorkspaceId = "video-variations";

  VideoVariationsPage(JobRunner* runner, QWidget* parent = nullptr);
  ~VideoVariationsPage() override;

  void setDocument(Document* document);  // lists its videos
  void setSettings(const StudioSettings& settings);

  // Starts training on the chosen video; false (with a message) when nothing can start.
  bool generate();
  // Writes variation `index` (0-based) as MP4 or GIF by the file name's extension.
  bool exportVariation(int index, const QString& fileName, QString* error);

  QComboBox* videoChooser() const { return videoChooser_; }
  QSpinBox* countSpin() const { return countSpin_; }
  QSpinBox* widthSpin() const { return widthSpin_; }    // instant: frame width, 0 the clip's
  QSpinBox* framesSpin() const { return framesSpin_; }  // instant: frames, 0 the clip's
  QComboBox* presetChooser() const { return presetChooser_; }
  QComboBox* methodChooser() const { return methodChooser_; }
  bool isInstant() const;
  QPushButton* generateButton() const { return generateButton_; }
  int playerCount() const { return players_.size(); }  // the input, then the variations
  VideoPlayer* player(int index) const { return players_.at(index); }
  QString outputFolder() const { return outputFolder_; }
  QString statusText() const;

 Q_SIGNALS:
  void variationsReady(const QString& folder);
  void errorOccurred(const QString& message);

 private:
  void refreshVideos();
  void refreshPresets(const QString& wanted);  // the method's presets, `wanted` chosen
  void onJobFinished(bool completed);
  void onJobFailed(const QString& message);
  void showResult();
  void clearPlayers();
  void select(int index);
  void chooseExport(const QString& suffix);
  void updateButtons();

  JobRunner* runner_;
  Document* document_ = nullptr;
  std::unique_ptr<StudioSettings> settings_;
  QComboBox* methodChooser_;
  QComboBox* videoChooser_;
  QSpinBox* countSpin_;
  QWidget* instantSize_;  // the instant mode's frame width and length, hidden for learned models
  QSpinBox* widthSpin_;
  QSpinBox* framesSpin_;
  QComboBox* presetChooser_;
  QPushButton* generateButton_;
  QPushButton* exportMp4Button_;
  QPushButton* exportGifButton_;
  QPushButton* openFolderButton_;
  QLabel* statusLabel_;
  QLabel* placeholder_;  // in the grid while it has no players
  QGridLayout* grid_;
  QVector<VideoPlayer*> players_;
  int selected_ = -1;

  // What either method made: written on the job thread, read here after the runner's finished
  // signal.
  struct Result {
    atelier::Video clip;
    std::vector<atelier::Video> variations;
    std::string model;  // learned: the (resumable) model file
    double seconds = 0;
    bool instant = true;
  };
  QString outputFolder_;
  std::shared_ptr<Result> result_;
};

}  // namespace atelier::ui
