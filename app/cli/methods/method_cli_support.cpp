#include "methods/method_cli_support.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "atelier/error.h"
#include "atelier/json_text.h"
#include "atelier/video.h"
#include "option_checks.h"

namespace atelier::cli {

WarningSink warning_printer(const Context& context) {
  const bool json = context.json;
  return [json](const std::string& message) {
    if (json) {
      std::cout << json_text({{"event", "warning"}, {"message", message}}) << std::endl;
    } else {
      std::fprintf(stderr, "warning: %s\n", message.c_str());
    }
  };
}

void check_run_output(const std::string& out, const std::vector<NamedPath>& inputs) {
  if (is_image_file_name(out) || is_video_file_name(out))
    check_output_file("--out", out, inputs);
  else
    check_output_folder("--out", out, inputs);
}

std::pair<int, int> parse_size(const std::string& text) {
  int w = 0, h = 0;
  char x = 0, extra = 0;
  if (std::sscanf(text.c_str(), "%d%c%d%c", &w, &x, &h, &extra) != 3 || (x != 'x' && x != 'X') ||
      w <= 0 || h <= 0)
    throw usage_error("size '" + text + "' is not of the form WxH (for example 160x96)");
  return {w, h};
}

std::pair<int, int> parse_output_size(const std::string& text) {
  int w = 0, h = 0;
  char x = 0, extra = 0;
  const int read = std::sscanf(text.c_str(), "%d%c%d%c", &w, &x, &h, &extra);
  const bool width_only = read == 1;
  const bool both = read == 3 && (x == 'x' || x == 'X');
  if (!(width_only || both) || w < 0 || h < 0 || (w == 0 && h == 0))
    throw usage_error("size '" + text +
                      "' is not of the form WxH, W alone or Wx0 (for example 256x192 or 256)");
  return {w, width_only ? 0 : h};
}

void write_images(const std::vector<Image>& images, const std::string& out) {
  if (images.size() == 1 && is_image_file_name(out)) return save_image(images.front(), out);
  if (is_image_file_name(out)) {
    const int columns = static_cast<int>(std::ceil(std::sqrt(double(images.size()))));
    return save_image(make_grid(images, columns), out);
  }
  std::filesystem::create_directories(out);
  for (std::size_t i = 0; i < images.size(); ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "/%03zu.png", i);
    save_image(images[i], out + name);
  }
}

void write_sequence(const std::vector<Image>& frames, const std::string& out, double fps) {
  if (is_video_file_name(out)) {
    Video video;
    video.frames = frames;
    video.fps = fps;
    return write_video(video, out);
  }
  save_image(make_grid(frames, static_cast<int>(frames.size())), out);
}

void add_multiscale_bench_options(CLI::App& command, MultiScaleBenchOptions& options,
                                  const std::string& unit) {
  command.add_option("--preset", options.preset, "Preset whose training is timed")
      ->capture_default_str();
  command.add_option("--steps", options.steps, "Timed iterations per " + unit)
      ->check(number_in(1, 100000))
      ->capture_default_str();
  command.add_flag("!--no-ceiling", options.ceiling, "Skip the bench core conv ceiling");
  command.add_flag("--load", options.load,
                   "Time the finest " + unit +
                       " at 1 thread, every core and automatic threads, quiet and beside a "
                       "busy program (as bench load)");
}

namespace {

nlohmann::json to_json(const LoadBenchResult& r) {
  nlohmann::json rows = nlohmann::json::array();
  for (const LoadBenchRow& row : r.rows)
    rows.push_back({{"threads", row.threads},
                    {"busy", row.busy},
                    {"threads_used", row.threads_used},
                    {"steps", row.steps},
                    {"step_ms", row.step_ms}});
  return {{"cores", r.cores},
          {"rows", rows},
          {"busy_automatic_vs_one", r.busy_automatic_vs_one},
          {"busy_all_vs_one", r.busy_all_vs_one},
          {"quiet_speedup", r.quiet_speedup}};
}

void print_load(const LoadBenchResult& r) {
  std::printf("\nthreads beside other programs (%d cores; median step of the finest scale)\n",
              r.cores);
  for (const LoadBenchRow& row : r.rows)
    std::printf("  %-5s %-9s threads  %9.1f ms/step  (%d used, %d steps)\n",
                row.busy ? "busy" : "quiet", row.threads.c_str(), row.step_ms, row.threads_used,
                row.steps);
  std::printf("busy core:  automatic %.2fx the 1-thread step (every core: %.2fx)\n",
              r.busy_automatic_vs_one, r.busy_all_vs_one);
  std::printf("quiet:      automatic %.2fx faster than 1 thread\n", r.quiet_speedup);
}

}  // namespace

nlohmann::json to_json(const MultiScaleBenchResult& r) {
  nlohmann::json scales = nlohmann::json::array();
  for (const ScaleStepBench& s : r.scales) {
    scales.push_back({{"scale", s.scale},
                      {"size", {s.width, s.height}},
                      {"frames", s.frames},
                      {"iterations", s.iterations},
                      {"step_ms", s.step_ms},
                      {"gflop", s.gflop},
                      {"gflops", s.gflops}});
  }
  nlohmann::json json = {{"method", r.method},
                         {"preset", r.preset},
                         {"device", r.device},
                         {"threads", r.threads},
                         {"scales", scales},
                         {"train_estimate_s", r.train_estimate_s},
                         {"achieved_gflops", r.achieved_gflops},
                         {"ceiling_train_gflops", r.ceiling_train_gflops},
                         {"ceiling_forward_gflops", r.ceiling_forward_gflops},
                         {"peak_rss_mb", r.peak_rss_mb},
                         {"bench_s", r.bench_s}};
  if (!r.load.rows.empty()) json["load"] = to_json(r.load);
  return json;
}

void print_bench(const MultiScaleBenchResult& r) {
  std::printf("%s %s on %s, %d threads (median step of each scale)\n", r.method.c_str(),
              r.preset.c_str(), r.device.c_str(), r.threads);
  for (const ScaleStepBench& s : r.scales) {
    const std::string frames = s.frames > 0 ? "x" + std::to_string(s.frames) : "";
    std::printf("scale %d %4dx%-4d%-4s %8.1f ms/step %7.3f GFLOP %6.1f GFLOP/s  x %d iterations\n",
                s.scale, s.width, s.height, frames.c_str(), s.step_ms, s.gflop, s.gflops,
                s.iterations);
  }
  std::printf("whole training at these step times: %.0f s (%.1f min)\n", r.train_estimate_s,
              r.train_estimate_s / 60);
  std::printf("achieved %.1f GFLOP/s", r.achieved_gflops);
  if (r.ceiling_train_gflops > 0) {
    std::printf(" = %.0f %% of the conv forward+backward ceiling (%.1f GFLOP/s; forward %.1f)",
                100 * r.achieved_gflops / r.ceiling_train_gflops, r.ceiling_train_gflops,
                r.ceiling_forward_gflops);
  }
  std::printf("\npeak resident memory: %.0f MB; benchmark took %.1f s\n", r.peak_rss_mb, r.bench_s);
  if (!r.load.rows.empty()) print_load(r.load);
}

}  // namespace atelier::cli
