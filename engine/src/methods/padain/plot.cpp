// The report's plot, drawn with OpenCV: accuracy per severity of both models, bars of one
// standard deviation over the seeds.
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "atelier/padain.h"
#include "io/cv_image.h"

namespace atelier {
namespace {

// Colours in RGB order: the canvas is handed out as an RGB image.
const cv::Scalar kInk(30, 30, 30);
const cv::Scalar kGrid(225, 225, 225);
const cv::Scalar kBaseline(90, 110, 200);
const cv::Scalar kWithLayer(220, 110, 40);
constexpr auto kFont = cv::FONT_HERSHEY_SIMPLEX;

struct Frame {
  int left, top, right, bottom;
  double y_min, y_max;
  int x(int severity) const { return left + (right - left) * severity / kPadainSeverities; }
  int y(double accuracy) const {
    const double t = (accuracy - y_min) / (y_max - y_min);
    return bottom - static_cast<int>(std::lround(t * (bottom - top)));
  }
};

std::string percent(double value) {
  char text[16];
  std::snprintf(text, sizeof text, "%.0f%%", 100 * value);
  return text;
}

void text(cv::Mat& canvas, const std::string& s, cv::Point at, double scale = 0.45) {
  cv::putText(canvas, s, at, kFont, scale, kInk, 1, cv::LINE_AA);
}

void draw_series(cv::Mat& canvas, const Frame& f, const std::vector<SeedStats>& series,
                 const cv::Scalar& colour) {
  std::vector<cv::Point> points;
  for (std::size_t s = 0; s < series.size(); ++s) {
    const int x = f.x(static_cast<int>(s));
    points.emplace_back(x, f.y(series[s].mean));
    if (series[s].std > 0) {
      const int lo = f.y(series[s].mean - series[s].std), hi = f.y(series[s].mean + series[s].std);
      cv::line(canvas, {x, lo}, {x, hi}, colour, 1, cv::LINE_AA);
      cv::line(canvas, {x - 4, lo}, {x + 4, lo}, colour, 1, cv::LINE_AA);
      cv::line(canvas, {x - 4, hi}, {x + 4, hi}, colour, 1, cv::LINE_AA);
    }
  }
  cv::polylines(canvas, points, false, colour, 2, cv::LINE_AA);
  for (const cv::Point& p : points) cv::circle(canvas, p, 4, colour, cv::FILLED, cv::LINE_AA);
}

}  // namespace

Image plot_padain_report(const PadainReport& report, int width, int height) {
  width = std::max(width, 320);
  height = std::max(height, 240);
  cv::Mat canvas(height, width, CV_8UC3, cv::Scalar(255, 255, 255));
  double lowest = 1;
  for (const auto* model : {&report.baseline, &report.with_layer})
    for (const SeedStats& s : model->accuracy_by_severity)
      lowest = std::min(lowest, s.mean - s.std);
  const Frame f{64, 48, width - 24, height - 56, std::max(0.0, std::floor(lowest * 10) / 10), 1.0};

  for (int i = 0; i <= 10; ++i) {  // horizontal grid every 10 %, labelled where it fits
    const double level = i / 10.0;
    if (level < f.y_min - 1e-9) continue;
    cv::line(canvas, {f.left, f.y(level)}, {f.right, f.y(level)}, kGrid, 1);
    text(canvas, percent(level), {f.left - 48, f.y(level) + 5});
  }
  cv::rectangle(canvas, {f.left, f.top}, {f.right, f.bottom}, kInk, 1);
  for (int s = 0; s <= kPadainSeverities; ++s) {
    text(canvas, s == 0 ? "clean" : std::to_string(s), {f.x(s) - (s == 0 ? 18 : 4), f.bottom + 20});
  }
  text(canvas,
       "severity (1-5: mean over " + std::to_string(report.corruptions.size()) + " corruptions)",
       {f.left, f.bottom + 44});
  text(canvas,
       report.dataset + ": test accuracy, " + std::to_string(report.seeds) +
           " seeds (bars: +-1 std)",
       {f.left, 22}, 0.55);

  draw_series(canvas, f, report.baseline.accuracy_by_severity, kBaseline);
  draw_series(canvas, f, report.with_layer.accuracy_by_severity, kWithLayer);
  char label[64];
  std::snprintf(label, sizeof label, "Permuted AdaIN p = %g", report.with_layer.p);
  const int legend_x = f.right - 240, legend_y = f.top + 18;
  cv::line(canvas, {legend_x, legend_y - 4}, {legend_x + 24, legend_y - 4}, kBaseline, 2);
  text(canvas, "baseline (p = 0)", {legend_x + 30, legend_y});
  cv::line(canvas, {legend_x, legend_y + 16}, {legend_x + 24, legend_y + 16}, kWithLayer, 2);
  text(canvas, label, {legend_x + 30, legend_y + 20});
  return io::copy_pixels(canvas);
}

}  // namespace atelier
