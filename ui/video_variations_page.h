// video_variations_page.h — the "Video variations" workspace: pick a video of the project, press
// one button; videogen learns the clip on the job thread and the new videos play next to it.
#pragma once

#include <QString>
#include <QVector>
#include <QWidget>
#include <memory>

#include "atelier/videogen.h"

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
  QComboBox* presetChooser() const { return presetChooser_; }
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
  QComboBox* videoChooser_;
  QSpinBox* countSpin_;
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

  QString outputFolder_;
  // Written on the job thread, read here after the runner's finished signal.
  std::shared_ptr<atelier::VideoVariationsResult> result_;
};

}  // namespace atelier::ui
