// draw_icons.cpp — draws Atelier's PNG icons with QPainter (the target has no Qt SVG plugin).
// Not part of the build; rerun after a change:
//   g++ -std=c++17 -fPIC draw_icons.cpp -o draw_icons $(pkg-config --cflags --libs Qt6Gui)
//   QT_QPA_PLATFORM=offscreen ./draw_icons resources/icons
#include <QGuiApplication>
#include <QImage>
#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>

static QPainterPath sparkle(QPointF c, qreal r) {
  QPainterPath p;
  const qreal k = r * 0.22;
  p.moveTo(c + QPointF(0, -r));
  p.quadTo(c + QPointF(k, -k), c + QPointF(r, 0));
  p.quadTo(c + QPointF(k, k), c + QPointF(0, r));
  p.quadTo(c + QPointF(-k, k), c + QPointF(-r, 0));
  p.quadTo(c + QPointF(-k, -k), c + QPointF(0, -r));
  return p;
}

static QImage appIcon(int s) {
  QImage img(s, s, QImage::Format_ARGB32_Premultiplied);
  img.fill(Qt::transparent);
  QPainter p(&img);
  p.setRenderHint(QPainter::Antialiasing);
  p.scale(s / 256.0, s / 256.0);
  QLinearGradient g(0, 0, 256, 256);
  g.setColorAt(0, QColor(0x4b, 0x32, 0xa8));
  g.setColorAt(1, QColor(0x17, 0x93, 0xa6));
  p.setPen(Qt::NoPen);
  p.setBrush(g);
  p.drawRoundedRect(QRectF(8, 8, 240, 240), 52, 52);
  // picture frame
  QRectF frame(44, 68, 150, 124);
  p.setBrush(QColor(255, 255, 255, 40));
  p.setPen(QPen(Qt::white, 12, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
  p.drawRoundedRect(frame, 16, 16);
  // hills inside the frame
  p.save();
  QPainterPath clip;
  clip.addRoundedRect(frame.adjusted(6, 6, -6, -6), 10, 10);
  p.setClipPath(clip);
  QPainterPath hills;
  hills.moveTo(44, 192);
  hills.lineTo(92, 132);
  hills.lineTo(122, 164);
  hills.lineTo(148, 142);
  hills.lineTo(196, 192);
  hills.closeSubpath();
  p.setPen(Qt::NoPen);
  p.setBrush(Qt::white);
  p.drawPath(hills);
  p.restore();
  p.setBrush(QColor(0xff, 0xd2, 0x4a));
  p.setPen(Qt::NoPen);
  p.drawEllipse(QPointF(88, 104), 13, 13);
  // sparkle: generation
  p.setBrush(QColor(0xff, 0xd2, 0x4a));
  p.drawPath(sparkle(QPointF(192, 70), 40));
  p.setBrush(Qt::white);
  p.drawPath(sparkle(QPointF(214, 128), 16));
  return img;
}

static QImage importIcon(int s) {
  QImage img(s, s, QImage::Format_ARGB32_Premultiplied);
  img.fill(Qt::transparent);
  QPainter p(&img);
  p.setRenderHint(QPainter::Antialiasing);
  p.scale(s / 64.0, s / 64.0);
  // tray
  QPen tray(QColor(0x44, 0x48, 0x50), 5, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
  p.setPen(tray);
  QPainterPath t;
  t.moveTo(8, 38);
  t.lineTo(8, 54);
  t.lineTo(56, 54);
  t.lineTo(56, 38);
  p.drawPath(t);
  // arrow
  QPen arrow(QColor(0x2a, 0x7f, 0xd4), 6, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
  p.setPen(arrow);
  p.drawLine(QPointF(32, 8), QPointF(32, 40));
  QPainterPath head;
  head.moveTo(20, 29);
  head.lineTo(32, 41);
  head.lineTo(44, 29);
  p.drawPath(head);
  return img;
}

int main(int argc, char** argv) {
  QGuiApplication app(argc, argv);
  const QString out = argv[1];
  appIcon(256).save(out + "/atelier.png");
  // The hicolor theme's sizes (the 256-px one is atelier.png); each drawn at its size, not scaled.
  for (int size : {16, 24, 32, 48, 64, 128})
    appIcon(size).save(out + QString("/atelier-%1.png").arg(size));
  importIcon(64).save(out + "/import.png");
  return 0;
}
