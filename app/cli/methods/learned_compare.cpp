#include "methods/learned_compare.h"

#include <chrono>
#include <filesystem>

#include "atelier/preset.h"
#include "atelier/remove_tree.h"
#if defined(ATELIER_WITH_SINGAN)
#include "atelier/singan.h"
#endif
#if defined(ATELIER_WITH_ANALOGY)
#include "atelier/analogy.h"
#endif
#if defined(ATELIER_WITH_VIDEOGEN)
#include "atelier/videogen.h"
#endif

namespace atelier::cli {
namespace {

namespace fs = std::filesystem;

[[maybe_unused]] double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A model file in a folder of its own under the temp dir, removed with the object.
class TempModel {
 public:
  explicit TempModel(const std::string& method) {
    dir_ = fs::temp_directory_path() /
           ("atelier-compare-" + method + "-" +
            std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    fs::create_directories(dir_);
  }
  ~TempModel() { remove_tree(dir_.string()); }
  std::string path() const { return (dir_ / "model.atl").string(); }

 private:
  fs::path dir_;
};

[[maybe_unused]] TrainOptions train_options(const TempModel& model,
                                            const LearnedSettings& settings) {
  TrainOptions options;
  options.out = model.path();
  options.compute = settings.compute;
  options.seed = settings.seed;
  options.checkpoint_every_s = 0;
  return options;
}

[[maybe_unused]] std::string size_text(int width, int height, int frames = 0) {
  std::string s = std::to_string(width) + "x" + std::to_string(height);
  if (frames > 0) s += " x " + std::to_string(frames) + " frames";
  return s;
}

// A method's eval options: the comparison's sample count and seed.
template <class Options>
[[maybe_unused]] Options eval_options(const LearnedSettings& settings) {
  Options options;
  options.samples = settings.samples;
  options.seed = settings.seed;
  return options;
}

[[maybe_unused]] EvalRow row_of(EvalRow::Kind kind, const std::string& name,
                                const std::string& method, const LearnedSettings& settings,
                                std::chrono::steady_clock::time_point start, std::string size) {
  EvalRow row;
  row.kind = kind;
  row.input = name;
  row.method = method + " " + settings.preset;
  row.seconds = seconds_since(start);
  row.size = std::move(size);
  return row;
}

}  // namespace

std::optional<EvalRow> learned_picture_row(const Image& picture, const std::string& name,
                                           const LearnedSettings& settings) {
#if defined(ATELIER_WITH_SINGAN)
  const TempModel model("singan");
  const auto start = std::chrono::steady_clock::now();
  train_singan(picture, load_preset("singan", settings.preset), train_options(model, settings),
               settings.callbacks);
  SinganSampleOptions first;
  first.seed = settings.seed;
  const Image result = SinganModel::load(model.path(), settings.compute).sample(first);
  EvalRow row = row_of(EvalRow::Kind::Picture, name, "singan", settings, start,
                       size_text(result.width, result.height));
  const SinganEvalResult r =
      evaluate_singan(model.path(), eval_options<SinganEvalOptions>(settings), settings.compute);
  row.swd_ratio = r.swd_ratio;
  row.diversity = r.diversity;
  return row;
#else
  (void)picture, (void)name, (void)settings;
  return std::nullopt;
#endif
}

std::optional<EvalRow> learned_pair_row(const Image& a, const Image& b, const std::string& name,
                                        const LearnedSettings& settings) {
#if defined(ATELIER_WITH_ANALOGY)
  const TempModel model("analogy");
  const auto start = std::chrono::steady_clock::now();
  // The learned analogy takes one size: b is fitted to a, as the studio does.
  const Image fitted = resize_image(b, a.width, a.height);
  train_analogy(a, fitted, load_preset("analogy", settings.preset), train_options(model, settings),
                settings.callbacks);
  const AnalogyModel loaded = AnalogyModel::load(model.path(), settings.compute);
  const Image ab = loaded.translate(Domain::A);
  loaded.translate(Domain::B);
  EvalRow row =
      row_of(EvalRow::Kind::Pair, name, "analogy", settings, start, size_text(ab.width, ab.height));
  const AnalogyEvalResult r =
      evaluate_analogy(model.path(), eval_options<AnalogyEvalOptions>(settings), settings.compute);
  row.structure_ab = r.structure_ab;
  row.structure_b_vs_a = r.structure_b_vs_a;
  row.structure_ba = r.structure_ba;
  row.structure_a_vs_b = r.structure_a_vs_b;
  return row;
#else
  (void)a, (void)b, (void)name, (void)settings;
  return std::nullopt;
#endif
}

std::optional<EvalRow> learned_video_row(const Video& clip, const std::string& name,
                                         const LearnedSettings& settings) {
#if defined(ATELIER_WITH_VIDEOGEN)
  const TempModel model("videogen");
  Preset preset = load_preset("videogen", settings.preset);
  // The learned clip is as long as the instant one (its pyramid's coarsest level follows).
  const int frames = static_cast<int>(clip.frames.size());
  std::vector<std::string> length{"frames=" + std::to_string(frames)};
  if (frames < preset.params.value("min_frames", 1))
    length.push_back("min_frames=" + std::to_string(frames));
  apply_overrides(preset, length);
  const auto start = std::chrono::steady_clock::now();
  train_videogen(clip, preset, train_options(model, settings), settings.callbacks);
  VideogenSampleOptions first;
  first.seed = settings.seed;
  const Video result = VideogenModel::load(model.path(), settings.compute).sample(first);
  EvalRow row =
      row_of(EvalRow::Kind::Video, name, "videogen", settings, start,
             size_text(result.width(), result.height(), static_cast<int>(result.frames.size())));
  const VideogenEvalResult r = evaluate_videogen(
      model.path(), eval_options<VideogenEvalOptions>(settings), settings.compute, clip);
  row.swd_ratio = r.swd_ratio;
  row.diversity = r.diversity;
  row.motion_ratio = r.motion_ratio;
  return row;
#else
  (void)clip, (void)name, (void)settings;
  return std::nullopt;
#endif
}

}  // namespace atelier::cli
