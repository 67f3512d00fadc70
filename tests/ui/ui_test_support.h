// Helpers shared by the studio's Qt tests.
#pragma once

#include <QString>
#include <QStringList>

namespace atelier::ui {
class MainWindow;
}

namespace atelier::ui::test {

QString demoDir();                           // the source tree's resources/demo
QString demoProjectFile();                   // .../demo.atelier
QString demoMedia(const QString& fileName);  // .../media/<fileName>

// Points QSettings at a fresh temporary folder, so tests never touch the user's settings.
void isolateSettings();

// The window computes on the CPU with one thread, writes to `outputFolder`, and trains `preset`
// in every workspace (tests train the tiny presets).
void useTestSettings(MainWindow& window, const QString& outputFolder,
                     const QString& preset = QStringLiteral("tiny"));

}  // namespace atelier::ui::test
