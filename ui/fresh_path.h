// fresh_path.h — names for new output files and folders that never replace earlier results.
#pragma once

#include <QString>

namespace atelier::ui {

// <folder>/<stem><suffix>, or <folder>/<stem>_2<suffix>, _3, ...: the first that does not exist.
// `suffix` includes its dot (".atl"), or is empty for a folder.
QString freshPath(const QString& folder, const QString& stem, const QString& suffix = {});

}  // namespace atelier::ui
