// PreviewRenderer's rule: the latest request wins. While one picture renders, newer requests
// replace each other (only the newest runs), the overtaken picture is dropped, an unchanged key
// is skipped, background work waits for interactive work, and a failure comes back as a message.
#include <QSignalSpy>
#include <QtTest>
#include <atomic>
#include <stdexcept>

#include "preview_renderer.h"

using namespace atelier::ui;

namespace {

RenderOutput picture(int grey) {
  QImage image(4, 4, QImage::Format_Grayscale8);
  image.fill(grey);
  return {image, {}};
}

}  // namespace

class PreviewRendererTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void theLatestRequestWins() {
    PreviewRenderer renderer;
    QSignalSpy rendered(&renderer, &PreviewRenderer::rendered);
    std::atomic<bool> release{false};
    std::atomic<bool> started{false};
    std::atomic<int> ran{0};
    // The first render blocks until released, so the next requests queue behind it.
    QVERIFY(renderer.request(QStringLiteral("a"), [&] {
      started = true;
      while (!release.load()) QThread::msleep(1);
      ++ran;
      return picture(10);
    }));
    QTRY_VERIFY(started.load());
    QVERIFY(renderer.request(QStringLiteral("b"), [&] {
      ++ran;
      return picture(20);
    }));
    QVERIFY(renderer.request(QStringLiteral("c"), [&] {
      ++ran;
      return picture(30);
    }));
    QVERIFY(!renderer.request(QStringLiteral("c"), [&] {
      ++ran;
      return picture(31);
    }));
    renderer.enqueue(QStringLiteral("icon"), [&] {
      ++ran;
      return picture(40);
    });
    release = true;

    QTRY_COMPARE(rendered.count(), 2);
    QCOMPARE(ran.load(), 3);  // a, c and the icon: b was replaced before it ran
    QCOMPARE(rendered.at(0).at(0).toString(), QStringLiteral("c"));  // a's picture was dropped
    QCOMPARE(rendered.at(0).at(2).toBool(), true);
    QCOMPARE(rendered.at(1).at(0).toString(), QStringLiteral("icon"));
    QCOMPARE(rendered.at(1).at(2).toBool(), false);
    QCOMPARE(renderer.renderedCount(), 1);
    QCOMPARE(renderer.droppedCount(), 1);
  }

  void aFailureComesBackAsAMessageAndResetForgetsTheKey() {
    PreviewRenderer renderer;
    QSignalSpy failed(&renderer, &PreviewRenderer::renderFailed);
    QSignalSpy rendered(&renderer, &PreviewRenderer::rendered);
    renderer.request(QStringLiteral("x"),
                     []() -> RenderOutput { throw std::runtime_error("photo.png: truncated"); });
    QVERIFY(failed.wait());
    QCOMPARE(failed.at(0).at(1).toString(), QStringLiteral("photo.png: truncated"));
    QVERIFY(!renderer.request(QStringLiteral("x"), [] { return picture(1); }));
    renderer.reset();  // e.g. a new model: the same key now means a new picture
    QVERIFY(renderer.request(QStringLiteral("x"), [] { return picture(1); }));
    QVERIFY(rendered.wait());
  }
};

QTEST_MAIN(PreviewRendererTest)
#include "preview_renderer_test.moc"
