// engine_presets.h — the preset names a chooser offers, as the engine lists them.
#pragma once

#include <QStringList>

namespace atelier::ui {

// The presets of `methods` (models/<method>/*.json), each name once, in the engine's order
// (tiny, preview, standard, paper, then the others). A method whose presets cannot be listed
// adds none, and the engine's message goes to `error` when given.
QStringList enginePresetNames(const QStringList& methods, QString* error = nullptr);

}  // namespace atelier::ui
