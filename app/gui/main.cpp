// atelier [PROJECT] — the studio. Opens PROJECT, else the bundled demo project.
#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>
#include <algorithm>
#include <cstdio>

#include "atelier/version.h"
#include "bench_first_preview.h"
#include "bench_sliders.h"
#include "demo_location.h"
#include "main_window.h"
#include "screenshot.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  // QSettings (recent projects) use these names.
  QApplication::setOrganizationName(QStringLiteral("Atelier"));
  QApplication::setApplicationName(QStringLiteral("atelier"));
  QApplication::setApplicationDisplayName(QStringLiteral("Atelier"));
  QApplication::setApplicationVersion(QStringLiteral(ATELIER_VERSION));
  QApplication::setDesktopFileName(QStringLiteral("atelier"));

  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("Desktop studio for disentangled and few-shot visual generation."));
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addPositionalArgument(
      QStringLiteral("project"),
      QStringLiteral("Project (*.atelier) or model (*.atl) to open; default: the demo."),
      QStringLiteral("[PROJECT]"));
  const QCommandLineOption screenshotOption(
      QStringLiteral("screenshot"),
      QStringLiteral("Save a picture of the window to FILE once it has settled, then quit."),
      QStringLiteral("FILE"));
  const QCommandLineOption selectOption(QStringLiteral("select"),
                                        QStringLiteral("Show the media item at INDEX (from 0)."),
                                        QStringLiteral("INDEX"));
  const QCommandLineOption sizeOption(
      QStringLiteral("size"), QStringLiteral("Window size, e.g. 1280x800."), QStringLiteral("WxH"));
  const QCommandLineOption workspaceOption(
      QStringLiteral("workspace"),
      QStringLiteral("Open on this workspace (media, attribute-transfer, latent-sliders, "
                     "single-image, video-variations, oneshot, robustness)."),
      QStringLiteral("ID"));
  const QCommandLineOption benchSlidersOption(
      QStringLiteral("bench-sliders"),
      QStringLiteral("Benchmark: load the transfer MODEL (.atl), move a latent slider as a user "
                     "would and print how long each new image takes to appear; then quit."),
      QStringLiteral("MODEL"));
  const QCommandLineOption benchMovesOption(QStringLiteral("bench-moves"),
                                            QStringLiteral("Slider moves to time (default 50)."),
                                            QStringLiteral("N"), QStringLiteral("50"));
  const QCommandLineOption benchFirstPreviewOption(
      QStringLiteral("bench-first-preview"),
      QStringLiteral("Benchmark: press Train in every workspace that trains, on the project's "
                     "pictures and video, and print how long the first picture takes; then quit."));
  parser.addOption(benchFirstPreviewOption);
  parser.addOption(benchSlidersOption);
  parser.addOption(benchMovesOption);
  parser.addOption(screenshotOption);
  parser.addOption(workspaceOption);
  parser.addOption(selectOption);
  parser.addOption(sizeOption);
  parser.process(app);

  atelier::ui::MainWindow window;
  if (parser.isSet(sizeOption)) {
    const QStringList parts = parser.value(sizeOption).split(QLatin1Char('x'));
    if (parts.size() == 2) window.resize(parts[0].toInt(), parts[1].toInt());
  }

  const QStringList positional = parser.positionalArguments();
  const QString project = positional.isEmpty() ? bundledDemoProject() : positional.front();
  bool opened = false;
  if (!project.isEmpty()) opened = window.openFile(project);
  if (parser.isSet(selectOption)) window.selectMedia(parser.value(selectOption).toInt());
  if (parser.isSet(workspaceOption) && !window.showWorkspace(parser.value(workspaceOption))) {
    std::fprintf(stderr, "atelier: no workspace '%s' (there are: %s)\n",
                 qPrintable(parser.value(workspaceOption)),
                 qPrintable(window.workspaceIds().join(QStringLiteral(", "))));
    return 2;
  }
  window.show();

  if (parser.isSet(benchSlidersOption)) {
    return runSliderBenchmark(window, parser.value(benchSlidersOption),
                              std::max(1, parser.value(benchMovesOption).toInt()));
  }
  if (parser.isSet(benchFirstPreviewOption)) return runFirstPreviewBenchmark(window);
  if (!parser.isSet(benchSlidersOption) && !parser.isSet(screenshotOption)) {
    // Once the window is up: offer back what a studio that crashed left unsaved.
    QTimer::singleShot(0, &window, [&window] { window.offerRecovery(); });
  }
  if (parser.isSet(screenshotOption)) {
    atelier::ui::saveScreenshotWhenSettled(
        &window, parser.value(screenshotOption), 15000, 400,
        [opened, &positional](bool ok, const QString& message) {
          std::fprintf(ok ? stdout : stderr, "atelier: %s\n", qPrintable(message));
          // A project named on the command line that failed to open is a failure too.
          QCoreApplication::exit(ok && (opened || positional.isEmpty()) ? 0 : 1);
        });
  }
  return app.exec();
}
