#include "screenshot.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QPixmap>
#include <QPointer>
#include <QTimer>
#include <memory>

#include "main_window.h"

namespace atelier::ui {

void saveScreenshotWhenSettled(MainWindow* window, const QString& fileName, int timeoutMs,
                               int settleMs,
                               std::function<void(bool ok, const QString& message)> done) {
  auto poll = new QTimer(window);
  auto clock = std::make_shared<QElapsedTimer>();
  clock->start();
  poll->setInterval(50);
  QObject::connect(poll, &QTimer::timeout, window, [=] {
    if (!window->isSettled() && clock->elapsed() < timeoutMs) return;
    poll->stop();
    poll->deleteLater();
    const bool settled = window->isSettled();
    QTimer::singleShot(settleMs, window, [=] {
      QDir().mkpath(QFileInfo(fileName).absolutePath());
      const bool ok = window->grab().save(fileName);
      QString message = ok ? QStringLiteral("saved %1").arg(QDir::toNativeSeparators(fileName))
                           : QStringLiteral("%1: cannot write the screenshot")
                                 .arg(QDir::toNativeSeparators(fileName));
      if (ok && !settled) message += QStringLiteral(" (timed out before the window settled)");
      done(ok, message);
    });
  });
  poll->start();
}

}  // namespace atelier::ui
