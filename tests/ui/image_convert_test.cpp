// atelier::Image <-> QImage: packed rows on one side, 4-byte aligned rows on the other.
#include <QPainter>
#include <QtTest>

#include "image_convert.h"

using atelier::ui::toAtelierImage;
using atelier::ui::toQImage;

namespace {

// Every byte different, so a row or channel shift cannot go unnoticed.
atelier::Image pattern(int width, int height, int channels) {
  atelier::Image image(width, height, channels);
  for (std::size_t i = 0; i < image.pixels.size(); ++i) {
    image.pixels[i] = static_cast<std::uint8_t>((i * 37 + 11) % 251);
  }
  return image;
}

}  // namespace

class ImageConvertTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void rgbWithOddWidthRoundTrips() {
    const atelier::Image image = pattern(5, 3, 3);  // 15 bytes a row; QImage pads to 16
    const QImage q = toQImage(image);
    QCOMPARE(q.format(), QImage::Format_RGB888);
    QCOMPARE(q.size(), QSize(5, 3));
    QVERIFY(q.bytesPerLine() > 15);
    for (int y = 0; y < 3; ++y) {
      for (int x = 0; x < 5; ++x) {
        const std::uint8_t* p = image.at(x, y);
        QCOMPARE(q.pixel(x, y), qRgb(p[0], p[1], p[2]));
      }
    }
    const atelier::Image back = toAtelierImage(q);
    QCOMPARE(back.channels, 3);
    QVERIFY(back.pixels == image.pixels);
  }

  void greyAndRgbaRoundTrip() {
    const atelier::Image grey = pattern(7, 4, 1);
    const QImage q = toQImage(grey);
    QCOMPARE(q.format(), QImage::Format_Grayscale8);
    QVERIFY(toAtelierImage(q).pixels == grey.pixels);

    const atelier::Image rgba = pattern(3, 5, 4);
    const QImage qa = toQImage(rgba);
    QCOMPARE(qa.format(), QImage::Format_RGBA8888);
    const atelier::Image backA = toAtelierImage(qa, /*keepAlpha=*/true);
    QCOMPARE(backA.channels, 4);
    QVERIFY(backA.pixels == rgba.pixels);
  }

  void anyQImageBecomesPackedRgb() {
    QImage q(3, 2, QImage::Format_ARGB32);
    q.fill(qRgba(10, 20, 30, 255));
    q.setPixel(2, 1, qRgba(200, 100, 50, 255));
    q.setPixel(0, 1, qRgba(0, 0, 0, 0));  // fully transparent: white, like the engine's loader
    const atelier::Image image = toAtelierImage(q);
    QCOMPARE(image.width, 3);
    QCOMPARE(image.height, 2);
    QCOMPARE(image.channels, 3);
    QCOMPARE(image.pixels.size(), std::size_t(18));
    const std::uint8_t* p = image.at(2, 1);
    QCOMPARE(int(p[0]), 200);
    QCOMPARE(int(p[1]), 100);
    QCOMPARE(int(p[2]), 50);
    p = image.at(1, 0);
    QCOMPARE(int(p[0]), 10);
    QCOMPARE(int(p[2]), 30);
    p = image.at(0, 1);
    QCOMPARE(int(p[0]), 255);
    QCOMPARE(int(p[1]), 255);
    QCOMPARE(int(p[2]), 255);
  }

  void emptyImages() {
    QVERIFY(toQImage(atelier::Image()).isNull());
    QVERIFY(toAtelierImage(QImage()).empty());
  }
};

QTEST_MAIN(ImageConvertTest)
#include "image_convert_test.moc"
