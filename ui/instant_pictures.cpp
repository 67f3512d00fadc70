#include "instant_pictures.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <algorithm>
#include <cmath>

#include "atelier/error.h"
#include "atelier/patchnn.h"
#include "atelier/preset.h"
#include "engine_presets.h"

namespace atelier::ui {
namespace {

atelier::PatchnnParams paramsOf(const InstantRequest& request) {
  return atelier::PatchnnParams::from_preset(
      atelier::load_preset("patchnn", instantPreset(request.preset).toStdString()));
}

// Runs `make`, turning the engine's stop (Error(Cancelled)) into the runner's "stopped".
template <class F>
bool unlessStopped(F&& make) {
  try {
    make();
    return true;
  } catch (const atelier::Error& e) {
    if (e.kind() == atelier::ErrorKind::Cancelled) return false;
    throw;
  }
}

std::string pathIn(const QString& folder, const QString& name) {
  return QDir(folder).filePath(name).toStdString();
}

}  // namespace

QString instantPreset(const QString& preset) {
  return preset == QLatin1String("paper") ? QStringLiteral("standard") : preset;
}

void fillPresetChooser(QComboBox* chooser, const QStringList& learnedMethods, bool instant,
                       const QString& wanted) {
  const QString pick = instant ? instantPreset(wanted) : wanted;
  const QStringList names =
      enginePresetNames(instant ? QStringList{QStringLiteral("patchnn")} : learnedMethods);
  const QSignalBlocker blocker(chooser);
  chooser->clear();
  chooser->addItems(names);
  chooser->setCurrentIndex(
      std::max(0, chooser->findText(names.contains(pick) ? pick : QStringLiteral("preview"))));
}

EngineJob instantPicturesJob(const InstantRequest& request) {
  return [request](const atelier::Callbacks& callbacks) {
    return unlessStopped([&] {
      const atelier::PatchnnParams params = paramsOf(request);
      const std::string a = request.imageA.toStdString();
      if (request.pair) {
        const std::string b = request.imageB.toStdString();
        const atelier::PatchnnAnalogyPair pair =
            atelier::patchnn_analogies(atelier::load_image(a), atelier::load_image(b), params, a, b,
                                       request.compute, callbacks);
        QDir().mkpath(request.folder);
        atelier::save_image(pair.a2b, pathIn(request.folder, QStringLiteral("a2b.png")));
        atelier::save_image(pair.b2a, pathIn(request.folder, QStringLiteral("b2a.png")));
        return;
      }
      const atelier::Image picture = atelier::load_image(a);
      atelier::PatchnnSampleOptions options;
      options.seed = request.seed;
      options.source_name = a;
      if (request.widthScale != 1.0) {
        // Relative to the picture as the preset uses it (larger ones are downscaled).
        const double fit =
            std::min(1.0, double(params.max_size) / std::max(picture.width, picture.height));
        options.width = static_cast<int>(std::lround(picture.width * fit * request.widthScale));
        options.height = static_cast<int>(std::lround(picture.height * fit));
      }
      const atelier::PatchnnSamples samples = atelier::patchnn_samples(
          picture, request.samples, params, options, request.compute, callbacks);
      QDir().mkpath(request.folder);
      for (std::size_t i = 0; i < samples.images.size(); ++i) {
        atelier::save_image(samples.images[i],
                            pathIn(request.folder, QStringLiteral("sample_%1.png").arg(i + 1)));
      }
    });
  };
}

EngineJob instantPaintJob(const InstantRequest& request, const QString& painting,
                          const QString& out) {
  return [request, painting, out](const atelier::Callbacks& callbacks) {
    return unlessStopped([&] {
      const atelier::PatchnnParams params = paramsOf(request);
      const std::string p = painting.toStdString();
      const atelier::Image canvas = atelier::load_image(p);
      atelier::Image result;
      if (request.pair) {
        const std::string b = request.imageB.toStdString();
        result = atelier::patchnn_analogy(canvas, atelier::load_image(b), params, p, b,
                                          request.compute, callbacks)
                     .image;
      } else {
        const std::string a = request.imageA.toStdString();
        result = atelier::patchnn_paint(atelier::load_image(a), canvas, params, a, p,
                                        request.compute, callbacks)
                     .image;
      }
      QDir().mkpath(QFileInfo(out).absolutePath());
      atelier::save_image(result, out.toStdString());
    });
  };
}

QVector<QPair<QString, QString>> instantResults(const QString& folder) {
  QVector<QPair<QString, QString>> results;
  const QDir dir(folder);
  if (folder.isEmpty() || !dir.exists()) return results;
  auto tr = [](const char* text) { return QCoreApplication::translate("InstantPictures", text); };
  if (dir.exists(QStringLiteral("a2b.png")))
    results.push_back({tr("a → b"), dir.filePath(QStringLiteral("a2b.png"))});
  if (dir.exists(QStringLiteral("b2a.png")))
    results.push_back({tr("b → a"), dir.filePath(QStringLiteral("b2a.png"))});
  for (int k = 1; dir.exists(QStringLiteral("sample_%1.png").arg(k)); ++k) {
    results.push_back(
        {tr("Sample %1").arg(k), dir.filePath(QStringLiteral("sample_%1.png").arg(k))});
  }
  return results;
}

}  // namespace atelier::ui
