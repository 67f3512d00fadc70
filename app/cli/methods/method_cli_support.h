// Output helpers shared by the methods' CLI commands.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "atelier/bench.h"
#include "atelier/dataset.h"
#include "atelier/file_checks.h"
#include "atelier/image.h"
#include "cli_context.h"

namespace atelier::cli {

// Warnings of a job (skipped files, resized images): a {"event":"warning"} line with --json,
// else "warning: ..." on stderr.
WarningSink warning_printer(const Context& context);

// Before a `run` operation works: --out can take what it writes (a file when it names a picture
// or a video, else a folder) and is none of `inputs` (the model and the operation's pictures).
void check_run_output(const std::string& out, const std::vector<NamedPath>& inputs);

// "WxH" -> {W, H}; Error(Usage) otherwise.
std::pair<int, int> parse_size(const std::string& text);
// "WxH", "W" (height 0: keep the aspect) or "Wx0" / "0xH"; Error(Usage) otherwise.
std::pair<int, int> parse_output_size(const std::string& text);

// One image: written as is. Several: a grid PNG/JPEG when `out` names an image file, else one
// numbered PNG per image in the folder `out`.
void write_images(const std::vector<Image>& images, const std::string& out);

// An image sequence: an animation when `out` ends in .gif or .mp4, else a horizontal strip image.
void write_sequence(const std::vector<Image>& frames, const std::string& out, double fps);

// The options every multi-scale benchmark (bench singan|analogy|videogen) takes: --preset,
// --steps, --no-ceiling, --load. `unit` names a step's place: "scale" or "level".
void add_multiscale_bench_options(CLI::App& command, MultiScaleBenchOptions& options,
                                  const std::string& unit);

// A multi-scale method's benchmark as JSON, and as text on stdout (with --load: the table of
// thread settings).
nlohmann::json to_json(const MultiScaleBenchResult& result);
void print_bench(const MultiScaleBenchResult& result);

}  // namespace atelier::cli
