#include "bench_first_preview.h"

#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QTemporaryDir>
#include <QUndoStack>
#include <cstdio>
#include <functional>
#include <vector>

#include "attribute_transfer_page.h"
#include "document.h"
#include "job_runner.h"
#include "main_window.h"
#include "oneshot_page.h"
#include "oneshot_state.h"
#include "single_image_page.h"
#include "single_image_state.h"
#include "studio_settings.h"
#include "transfer_state.h"
#include "video_variations_page.h"
#include "wait_for.h"

using namespace atelier::ui;

namespace {

constexpr int kFirstPictureTimeoutMs = 120000;
constexpr int kStopTimeoutMs = 120000;
constexpr int kOneshotSide = 64;

struct Case {
  const char* workspace;
  const char* method;
  std::function<bool()> train;  // presses Train; false when it did not start
};

bool choose(QComboBox* chooser, const QVariant& data) {
  const int index = chooser->findData(data);
  if (index >= 0) chooser->setCurrentIndex(index);
  return index >= 0;
}

}  // namespace

int runFirstPreviewBenchmark(MainWindow& window) {
  Document* document = window.document();
  QStringList images;
  QString video;
  for (int i = 0; i < document->mediaCount(); ++i) {
    const MediaItem& item = document->media(i);
    if (item.kind == MediaKind::Image) images.append(item.path);
    if (item.kind == MediaKind::Video && video.isEmpty()) video = item.path;
  }
  if (images.size() < 4) {
    std::fprintf(stderr, "atelier: the project needs four pictures for this benchmark\n");
    return 2;
  }
  // The trainings write into a folder of their own, gone afterwards; the user's settings return.
  QTemporaryDir out;
  const StudioSettings original = window.settings();
  StudioSettings settings = original;
  settings.outputFolder = out.path();
  window.applySettings(settings);

  SingleImagePage* single = window.singleImagePage();
  AttributeTransferPage* transfer = window.attributeTransferPage();
  VideoVariationsPage* videos = window.videoVariationsPage();
  OneshotPage* oneshot = window.oneshotPage();
  auto transferTrain = [&](const char* method) {
    window.showWorkspace(QString::fromLatin1(TransferState::kWorkspaceId));
    transfer->addToGallery(Domain::A, {images[0], images[1]});
    transfer->addToGallery(Domain::B, {images[2], images[3]});
    return choose(transfer->methodChooser(), QString::fromLatin1(method)) && transfer->train();
  };
  std::vector<Case> cases = {
      {"single-image", "singan",
       [&] {
         window.showWorkspace(QString::fromLatin1(SingleImageState::kWorkspaceId));
         single->chooseInstant(false);
         single->choose(false, images[0], {});
         return single->train();
       }},
      {"single-image", "analogy",
       [&] {
         window.showWorkspace(QString::fromLatin1(SingleImageState::kWorkspaceId));
         single->chooseInstant(false);
         single->choose(true, images[0], images[1]);
         return single->train();
       }},
      {"attribute-transfer", "disentangle", [&] { return transferTrain("disentangle"); }},
      {"attribute-transfer", "masktransfer", [&] { return transferTrain("masktransfer"); }},
      {"oneshot", "oneshot",
       [&] {
         // A B folder holds pictures of one size: the project's, brought to one.
         const QString b = QDir(out.path()).filePath(QStringLiteral("oneshot-b"));
         QDir().mkpath(b);
         for (int i = 0; i < images.size(); ++i) {
           QImage(images[i])
               .scaled(kOneshotSide, kOneshotSide, Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
               .save(QDir(b).filePath(QStringLiteral("%1.png").arg(i)));
         }
         window.showWorkspace(QString::fromLatin1(OneshotState::kWorkspaceId));
         return oneshot->chooseBFolder(b) && oneshot->dropPicture(images[0]) && oneshot->train();
       }},
  };
  if (!video.isEmpty()) {
    cases.push_back({"video-variations", "videogen", [&] {
                       window.showWorkspace(QString::fromLatin1(VideoVariationsPage::kWorkspaceId));
                       return choose(videos->videoChooser(), video) &&
                              choose(videos->methodChooser(), false) && videos->generate();
                     }});
  }

  JobRunner* runner = window.jobRunner();
  QElapsedTimer clock;
  qint64 firstMs = -1;
  QObject::connect(runner, &JobRunner::previewed, [&] {
    if (firstMs < 0) firstMs = clock.elapsed();
  });
  QString error;
  QObject::connect(&window, &MainWindow::errorShown, [&](const QString& m) { error = m; });

  std::printf("first picture after Train, %d threads (0: automatic), each workspace's preset\n",
              settings.threads);
  std::printf("%-20s %-14s %s\n", "workspace", "method", "seconds");
  int failures = 0;
  for (const Case& c : cases) {
    firstMs = -1;
    error.clear();
    clock.start();
    const bool started = c.train();
    if (started)
      waitFor([&] { return firstMs >= 0 || !runner->isRunning(); }, kFirstPictureTimeoutMs);
    if (firstMs >= 0) {
      std::printf("%-20s %-14s %.2f\n", c.workspace, c.method, firstMs / 1000.0);
    } else {
      ++failures;
      std::printf("%-20s %-14s no picture (%s)\n", c.workspace, c.method,
                  qPrintable(error.isEmpty() ? QStringLiteral("timed out") : error));
    }
    std::fflush(stdout);
    runner->cancel();
    if (!waitFor([&] { return !runner->isRunning(); }, kStopTimeoutMs)) {
      std::fprintf(stderr, "atelier: a training did not stop\n");
      return 1;
    }
  }
  // Leave the project as it was opened.
  while (document->undoStack()->canUndo()) document->undoStack()->undo();
  document->undoStack()->clear();
  window.applySettings(original);
  return failures == 0 ? 0 : 1;
}
