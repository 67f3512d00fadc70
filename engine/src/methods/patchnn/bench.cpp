// bench patchnn: the time of every level of a real sample (median over runs) and peak memory.
#include <torch/torch.h>

#include <algorithm>

#include "atelier/error.h"
#include "atelier/metrics.h"
#include "atelier/patchnn.h"
#include "core/bench_util.h"
#include "core/device.h"
#include "core/guard.h"
#include "core/tensor_image.h"

namespace atelier {
namespace {

double median(std::vector<double> values) {
  std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
  return values[values.size() / 2];
}

}  // namespace

PatchnnBenchResult bench_patchnn(const PatchnnBenchOptions& options) {
  if (options.repeats < 1) throw usage_error("bench patchnn: repeats must be at least 1");
  Preset preset = load_preset("patchnn", options.preset);
  apply_overrides(preset, options.overrides);
  const PatchnnParams params = PatchnnParams::from_preset(preset);
  return guarded("benchmarking patchnn", [&] {
    PatchnnBenchResult r;
    r.preset = preset.size.empty() ? options.preset : preset.size;
    r.device = apply_compute_options(options.compute);
    Image image = options.image;
    if (options.clip.empty() && image.empty()) {
      // Level times depend on the sizes only; a seeded random picture stands in for a photo.
      const int w = options.width > 0 ? options.width : 256;
      const int h = options.height > 0 ? options.height : w * 3 / 4;
      image = tensor_to_image(
          torch::rand({1, 3, h, w}, at::detail::createCPUGenerator(1), torch::kFloat) * 2 - 1);
    }
    std::vector<std::vector<PatchnnLevelStats>> runs;
    std::vector<double> totals, swd_times;
    for (int i = 0; i <= options.repeats; ++i) {  // run 0 warms up
      PatchnnReport report;
      double swd_s = 0;
      if (options.clip.empty()) {
        PatchnnSampleOptions o;
        o.seed = static_cast<std::uint64_t>(i + 1);
        const PatchnnImageResult out = patchnn_sample(image, params, o, options.compute);
        r.width = out.image.width;
        r.height = out.image.height;
        report = out.report;
        const double start = monotonic_s();
        patch_swd(out.image, image);
        swd_s = monotonic_s() - start;
      } else {
        PatchnnVideoOptions o;
        o.seed = static_cast<std::uint64_t>(i + 1);
        const PatchnnVideoResult out =
            patchnn_video_sample(options.clip, params, o, options.compute);
        r.width = out.video.width();
        r.height = out.video.height();
        r.frames = static_cast<int>(out.video.frames.size());
        report = out.report;
      }
      if (i == 0) continue;
      runs.push_back(report.levels);
      totals.push_back(report.seconds);
      if (options.clip.empty()) swd_times.push_back(swd_s);
    }
    r.threads = system_info().threads;
    r.levels = runs.front();
    for (std::size_t l = 0; l < r.levels.size(); ++l) {
      std::vector<double> times;
      for (const auto& run : runs) times.push_back(run[l].seconds);
      r.levels[l].seconds = median(times);
    }
    r.seconds = median(totals);
    if (!swd_times.empty()) r.swd_seconds = median(swd_times);
    r.peak_rss_mb = peak_rss_mb();
    return r;
  });
}

}  // namespace atelier
