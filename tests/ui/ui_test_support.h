// Helpers shared by the studio's Qt tests.
#pragma once

#include <QString>
#include <QStringList>

namespace atelier::ui::test {

QString demoDir();                           // the source tree's resources/demo
QString demoProjectFile();                   // .../demo.atelier
QString demoMedia(const QString& fileName);  // .../media/<fileName>

// Points QSettings at a fresh temporary folder, so tests never touch the user's settings.
void isolateSettings();

}  // namespace atelier::ui::test
