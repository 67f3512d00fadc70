// image_convert.h — atelier::Image (tightly packed rows) <-> QImage (rows padded to 4 bytes).
//
// Both directions copy row by row: QImage::bytesPerLine() is rounded up to a multiple of 4, so a
// 3-channel image of odd width never has the same memory layout in both types.
#pragma once

#include <QImage>
#include <QVector>

#include "atelier/image.h"
#include "atelier/video.h"

namespace atelier::ui {

// 1 channel -> Grayscale8, 3 -> RGB888, 4 -> RGBA8888. An empty image gives a null QImage.
QImage toQImage(const atelier::Image& image);

// Any QImage -> 3-channel RGB (transparent parts composited over white, like the engine's
// load_image), or 4-channel RGBA when keepAlpha is set and the QImage has an alpha channel.
// Grayscale8 stays 1 channel.
atelier::Image toAtelierImage(const QImage& image, bool keepAlpha = false);

// Every frame, converted with toQImage().
QVector<QImage> toQImages(const atelier::Video& video);

}  // namespace atelier::ui
