// instant_pictures.h — the Single image & analogy workspace's instant mode (patchnn): jobs that
// make pictures from the chosen ones without training and write them into a results folder, and
// that folder read back. Calls only the engine's public, torch-free API.
#pragma once

#include <QPair>
#include <QString>
#include <QVector>
#include <cstdint>

#include "atelier/compute.h"
#include "job_runner.h"

class QComboBox;

namespace atelier::ui {

struct InstantRequest {
  bool pair = false;
  QString imageA;  // one picture: its samples; a pair: a->b and b->a
  QString imageB;
  QString folder;  // created when the job succeeds; nothing is written otherwise
  QString preset = QStringLiteral("preview");  // a patchnn preset
  std::uint64_t seed = 1;
  int samples = 6;          // one picture: seeds seed .. seed + samples - 1
  double widthScale = 1.0;  // one picture: the samples' width over the picture's
  atelier::ComputeOptions compute;
};

// A job that writes sample_K.png (one picture) or a2b.png and b2a.png (a pair) into
// request.folder. Progress, level-by-level previews at the pictures' own size and stop requests
// go through the job's callbacks; a stop returns false and writes nothing.
EngineJob instantPicturesJob(const InstantRequest& request);

// A job that turns `painting` into a picture of the request's patches (one picture: imageA's;
// a pair: the painting takes a's place and gets b's patches) and writes it to `out`.
EngineJob instantPaintJob(const InstantRequest& request, const QString& painting,
                          const QString& out);

// The pictures of a results folder, in the order the jobs write them: (caption, path).
QVector<QPair<QString, QString>> instantResults(const QString& folder);

// The patchnn preset a workspace's preset name stands for (patchnn has no "paper": "standard").
QString instantPreset(const QString& preset);

// Fills a preset chooser with the instant mode's presets or those of `learnedMethods`, choosing
// `wanted` (as instantPreset() maps it), else "preview". Emits no signal.
void fillPresetChooser(QComboBox* chooser, const QStringList& learnedMethods, bool instant,
                       const QString& wanted);

}  // namespace atelier::ui
