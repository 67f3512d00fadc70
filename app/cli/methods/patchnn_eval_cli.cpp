// `eval patchnn` (quality of instant results on real inputs, with --compare the learned presets
// beside them in one table) and `bench patchnn` (time per level, peak memory).
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <tuple>
#include <utility>

#include "atelier/error.h"
#include "atelier/patchnn.h"
#include "methods/learned_compare.h"
#include "methods/method_cli_support.h"
#include "methods/patchnn_cli_support.h"

namespace atelier::cli {

void PatchCommon::add_to(CLI::App& command, const std::string& out_help) {
  command.add_option("--out", out, out_help)->required();
  command.add_option("--preset", preset, "tiny, preview, standard, or a .json file")
      ->capture_default_str();
  command.add_option("--set", overrides, "Override a preset parameter: KEY=VALUE (repeatable)");
  command.add_option("--seed", seed, "Random seed (same seed, same result on CPU)")
      ->capture_default_str();
}

PatchnnParams PatchCommon::params() const {
  Preset loaded = load_preset("patchnn", preset);
  apply_overrides(loaded, overrides);
  return PatchnnParams::from_preset(loaded);
}

namespace {

namespace fs = std::filesystem;

std::string file_name(const std::string& path) {
  return fs::path(path).filename().string();
}

std::string size_text(int width, int height, int frames = 0) {
  std::string s = std::to_string(width) + "x" + std::to_string(height);
  if (frames > 0) s += " x " + std::to_string(frames) + " frames";
  return s;
}

// The picture at `width` px wide (aspect kept); 0: as it is.
Image at_width(const Image& picture, int width) {
  if (width <= 0 || width == picture.width) return picture;
  const int height =
      std::max(1, static_cast<int>(std::lround(double(picture.height) * width / picture.width)));
  return resize_image(picture, width, height);
}

struct EvalInputs {
  std::vector<std::string> images;
  std::vector<std::pair<std::string, std::string>> pairs;
  std::vector<std::string> videos;
  PatchCommon common;
  int samples = 4;
  int width = 0;
  int video_width = 0;
  int frames = 0;
  bool compare = false;
  std::string learned_preset = "preview";
};

nlohmann::json to_json(const EvalRow& row) {
  nlohmann::json j = {
      {"input", row.input}, {"method", row.method}, {"size", row.size}, {"seconds", row.seconds}};
  if (row.kind == EvalRow::Kind::Pair) {
    j["structure_ab"] = row.structure_ab;
    j["structure_b_vs_a"] = row.structure_b_vs_a;
    j["structure_ba"] = row.structure_ba;
    j["structure_a_vs_b"] = row.structure_a_vs_b;
  } else {
    j["swd_ratio"] = row.swd_ratio;
    j["diversity"] = row.diversity;
    if (row.layout_psnr > 0) j["layout_psnr"] = row.layout_psnr;
  }
  if (row.kind == EvalRow::Kind::Video) j["motion_ratio"] = row.motion_ratio;
  return j;
}

std::string cell(double value, const char* format = "%.3f") {
  char text[32];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

void print_rows(const std::vector<EvalRow>& rows) {
  std::printf("%-32s %-18s %-24s %9s %6s %6s %6s %-21s %-21s %6s\n", "input", "method", "size",
              "result s", "SWD r", "div", "layout", "structure a->b (base)",
              "structure b->a (base)", "motion");
  for (const EvalRow& r : rows) {
    const bool pair = r.kind == EvalRow::Kind::Pair;
    const std::string ab =
        pair ? cell(r.structure_ab) + " (" + cell(r.structure_b_vs_a) + ")" : "-";
    const std::string ba =
        pair ? cell(r.structure_ba) + " (" + cell(r.structure_a_vs_b) + ")" : "-";
    std::printf(
        "%-32s %-18s %-24s %9s %6s %6s %6s %-21s %-21s %6s\n", r.input.c_str(), r.method.c_str(),
        r.size.c_str(), cell(r.seconds, "%.1f").c_str(),
        pair ? "-" : cell(r.swd_ratio, "%.2f").c_str(), pair ? "-" : cell(r.diversity).c_str(),
        r.layout_psnr > 0 ? cell(r.layout_psnr, "%.1f").c_str() : "-", ab.c_str(), ba.c_str(),
        r.kind == EvalRow::Kind::Video ? cell(r.motion_ratio, "%.2f").c_str() : "-");
  }
  std::printf(
      "SWD r: patch SWD to the source / the mirrored source's (lower is closer); div: diversity "
      "of the samples;\nlayout: dB of the samples against the source at 32 px (a copy: about "
      "50);\nstructure: edge correlation with the structure picture (base: the patch "
      "picture itself); motion: the samples' / the clip's\n");
}

int run_eval(const EvalInputs& in, Context& context) {
  if (in.images.empty() && in.pairs.empty() && in.videos.empty())
    throw usage_error("eval patchnn: give at least one --image, --pair or --video");
  const PatchnnParams params = in.common.params();
  const std::string method = "patchnn " + in.common.preset;
  PatchnnEvalOptions options;
  options.samples = in.samples;
  options.seed = in.common.seed;
  const Callbacks callbacks = context.job_callbacks("patchnn");
  LearnedSettings learned;
  learned.preset = in.learned_preset;
  learned.samples = in.samples;
  learned.seed = in.common.seed;
  learned.compute = context.compute;
  learned.callbacks = context.job_callbacks("learned " + in.learned_preset);  // its own bar title
  std::vector<EvalRow> rows;
  auto add_learned = [&](std::optional<EvalRow> row) {
    if (row) rows.push_back(std::move(*row));
  };

  for (const std::string& path : in.images) {
    const Image picture = at_width(load_image(path), in.width);
    const PatchnnSampleEval r =
        evaluate_patchnn_samples(picture, path, params, options, context.compute, callbacks);
    EvalRow row;
    row.input = file_name(path);
    row.method = method;
    row.size = size_text(r.width, r.height);
    row.seconds = r.seconds_per_sample;
    row.swd_ratio = r.swd_ratio;
    row.diversity = r.diversity;
    row.layout_psnr = r.layout_psnr;
    rows.push_back(row);
    if (in.compare) add_learned(learned_picture_row(picture, row.input, learned));
  }
  for (const auto& [a_path, b_path] : in.pairs) {
    const Image a = at_width(load_image(a_path), in.width);
    const Image b = at_width(load_image(b_path), in.width);
    const PatchnnAnalogyEval r =
        evaluate_patchnn_analogy(a, b, a_path, b_path, params, options, context.compute, callbacks);
    EvalRow row;
    row.kind = EvalRow::Kind::Pair;
    row.input = file_name(a_path) + " + " + file_name(b_path);
    row.method = method;
    row.size = size_text(a.width, a.height) + " / " + size_text(b.width, b.height);
    row.seconds = r.seconds;
    row.structure_ab = r.structure_ab;
    row.structure_b_vs_a = r.structure_b_vs_a;
    row.structure_ba = r.structure_ba;
    row.structure_a_vs_b = r.structure_a_vs_b;
    rows.push_back(row);
    if (in.compare) add_learned(learned_pair_row(a, b, row.input, learned));
  }
  for (const std::string& path : in.videos) {
    PatchnnClipChoice choice;
    choice.video = path;
    choice.frames = in.frames;
    choice.width = in.video_width;
    const Video clip = read_patchnn_clip(choice, params);
    const PatchnnVideoEval r =
        evaluate_patchnn_video(clip, path, params, options, context.compute, callbacks);
    EvalRow row;
    row.kind = EvalRow::Kind::Video;
    row.input = file_name(path);
    row.method = method;
    row.size = size_text(r.width, r.height, r.frames);
    row.seconds = r.seconds_per_sample;
    row.swd_ratio = r.swd_ratio;
    row.diversity = r.diversity;
    row.motion_ratio = r.motion_ratio;
    rows.push_back(row);
    if (in.compare) add_learned(learned_video_row(clip, row.input, learned));
  }

  nlohmann::json json_rows = nlohmann::json::array();
  for (const EvalRow& row : rows) json_rows.push_back(to_json(row));
  context.print_result({{"samples", in.samples}, {"rows", json_rows}}, [&] { print_rows(rows); });
  return kExitOk;
}

}  // namespace

std::function<int()> add_patchnn_eval(CLI::App& command, Context& context) {
  auto in = std::make_shared<EvalInputs>();
  command.add_option("--image", in->images, "A picture to sample (repeatable)")
      ->check(CLI::ExistingFile);
  command.add_option("--pair", in->pairs, "Two pictures A B for analogies (repeatable)")
      ->check(CLI::ExistingFile);
  command.add_option("--video", in->videos, "A clip to vary (repeatable)")
      ->check(CLI::ExistingFile);
  command.add_option("--preset", in->common.preset, "patchnn preset")->capture_default_str();
  command.add_option("--set", in->common.overrides, "Override a patchnn preset parameter");
  command.add_option("--seed", in->common.seed, "Seed of the first sample")->capture_default_str();
  command.add_option("--samples", in->samples, "Samples per picture or clip")
      ->check(CLI::Range(2, 64))
      ->capture_default_str();
  command.add_option("--width", in->width, "Scale pictures to this width first (0: as they are)")
      ->check(CLI::NonNegativeNumber);
  command
      .add_option("--video-width", in->video_width,
                  "Read clips at this frame width (0: as they are, up to the preset's limit)")
      ->check(CLI::NonNegativeNumber);
  command.add_option("--frames", in->frames, "Frames of each clip (0: the preset's limit)")
      ->check(CLI::NonNegativeNumber);
  command.add_flag("--compare", in->compare,
                   "Also train the learned methods (singan, analogy, videogen) on the same inputs "
                   "and show them in the same table (minutes per input)");
  command.add_option("--learned-preset", in->learned_preset, "Their preset")->capture_default_str();
  return [in, &context] { return run_eval(*in, context); };
}

// ---- bench patchnn ----

namespace {

struct BenchInputs {
  PatchnnBenchOptions options;
  std::string image, video, size;
  int width = 0;
  int frames = 0;
};

int run_bench(const BenchInputs& in, Context& context) {
  PatchnnBenchOptions options = in.options;
  options.compute = context.compute;
  if (!in.image.empty()) options.image = at_width(load_image(in.image), in.width);
  if (!in.video.empty()) {
    PatchnnClipChoice choice;
    choice.video = in.video;
    choice.frames = in.frames;
    choice.width = in.width;
    PatchCommon common;
    common.preset = options.preset;
    common.overrides = options.overrides;
    options.clip = read_patchnn_clip(choice, common.params());
  }
  if (!in.size.empty()) std::tie(options.width, options.height) = parse_size(in.size);
  const PatchnnBenchResult r = bench_patchnn(options);
  nlohmann::json levels = nlohmann::json::array();
  for (const PatchnnLevelStats& l : r.levels)
    levels.push_back({{"size", {l.width, l.height}},
                      {"frames", l.frames},
                      {"rounds", l.rounds},
                      {"search", l.search},
                      {"seconds", l.seconds}});
  context.print_result(
      {{"method", "patchnn"},
       {"preset", r.preset},
       {"device", r.device},
       {"threads", r.threads},
       {"size", {r.width, r.height}},
       {"frames", r.frames},
       {"levels", levels},
       {"seconds", r.seconds},
       {"swd_seconds", r.swd_seconds},
       {"peak_rss_mb", r.peak_rss_mb}},
      [&] {
        std::printf("patchnn %s on %s, %d threads: a %s %s (medians of %d runs)\n",
                    r.preset.c_str(), r.device.c_str(), r.threads,
                    size_text(r.width, r.height, options.clip.empty() ? 0 : r.frames).c_str(),
                    options.clip.empty() ? "sample" : "video sample", options.repeats);
        int k = 0;
        for (const PatchnnLevelStats& l : r.levels) {
          std::printf("level %2d %-22s %2d rounds  %-10s %8.3f s\n", ++k,
                      size_text(l.width, l.height, options.clip.empty() ? 0 : l.frames).c_str(),
                      l.rounds, l.search.c_str(), l.seconds);
        }
        std::printf("whole result: %.2f s; peak resident memory %.0f MB\n", r.seconds,
                    r.peak_rss_mb);
        if (r.swd_seconds > 0)
          std::printf("patch SWD of a sample against its input: %.1f ms\n", r.swd_seconds * 1e3);
      });
  return kExitOk;
}

}  // namespace

std::function<int()> add_patchnn_bench(CLI::App& command, Context& context) {
  auto in = std::make_shared<BenchInputs>();
  command.add_option("--preset", in->options.preset, "patchnn preset")->capture_default_str();
  command.add_option("--set", in->options.overrides, "Override a preset parameter: KEY=VALUE");
  command.add_option("--image", in->image, "A picture to sample (default: a random one)")
      ->check(CLI::ExistingFile);
  command.add_option("--video", in->video, "A clip to vary instead of a picture")
      ->check(CLI::ExistingFile);
  command.add_option("--width", in->width, "Scale the picture or clip to this width first")
      ->check(CLI::NonNegativeNumber);
  command.add_option("--frames", in->frames, "Frames of the clip (0: the preset's limit)")
      ->check(CLI::NonNegativeNumber);
  command.add_option("--size", in->size, "WxH of the random picture (default: 256x192)");
  command.add_option("--repeats", in->options.repeats, "Timed runs after one warm-up")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  return [in, &context] { return run_bench(*in, context); };
}

}  // namespace atelier::cli
