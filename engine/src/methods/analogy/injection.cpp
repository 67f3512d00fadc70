// Injection levels: how each level of a trained analogy keeps its source's structure and takes its
// target's patches, and the level each direction uses by default.
//
// Why a model chooses: which level gives a convincing analogy depends on the pair. On a pair of
// landscape photos the coarsest level gave a dark texture with neither the source's layout nor the
// target's colours (patch SWD 3.2x the mirrored target), while level 2 gave the analogy.
#include <algorithm>
#include <limits>

#include "atelier/analogy.h"
#include "core/guard.h"
#include "core/model_archive.h"
#include "methods/analogy/checkpoint.h"
#include "metrics/mirror_reference.h"

namespace atelier {
namespace {

// A level is judged by the worse of its two qualities, each in units of what is asked of it: the
// structure score above the target's own, in units of kStructureUnit, and the patch SWD to the
// target, against kSwdRatioBound times the mirrored target's.
constexpr double kStructureUnit = 0.25;
constexpr double kSwdRatioBound = 2.0;

Domain other(Domain d) {
  return d == Domain::A ? Domain::B : Domain::A;
}

double level_quality(const AnalogyLevelScore& level, double structure_baseline) {
  const double structure = (level.structure - structure_baseline) / kStructureUnit;
  const double appearance = kSwdRatioBound / std::max(level.swd_ratio, 1e-6);
  return std::min(structure, appearance);
}

}  // namespace

std::vector<AnalogyLevelScore> score_injection_levels(const AnalogyModel& model, Domain from,
                                                      const SwdOptions& swd, std::uint64_t seed) {
  const Image source = model.training_image(from);
  const Image target = model.training_image(other(from));
  const double mirrored = std::max(mirrored_swd(target, swd), 1e-12);
  std::vector<AnalogyLevelScore> levels;
  for (int k = 0; k < model.scales(); ++k) {
    AnalogyTranslateOptions options;
    options.inject = k;
    options.seed = seed;
    const Image out = model.translate(from, options);
    levels.push_back(
        {k, structure_score(out, source), patch_swd(out, target, swd).mean / mirrored});
  }
  return levels;
}

int choose_injection_level(const std::vector<AnalogyLevelScore>& levels,
                           double structure_baseline) {
  int best = 0;
  double best_quality = -std::numeric_limits<double>::infinity();
  for (const AnalogyLevelScore& level : levels) {
    const double quality = level_quality(level, structure_baseline);
    if (quality > best_quality) {
      best_quality = quality;
      best = level.inject;
    }
  }
  return best;
}

void store_default_injection(const std::string& path, const ComputeOptions& compute) {
  guarded("choosing the injection levels of " + path, [&] {
    int ab = 0, ba = 0;
    {
      const AnalogyModel model = AnalogyModel::load(path, compute);
      const Image a = model.training_image(Domain::A);
      const Image b = model.training_image(Domain::B);
      ab = choose_injection_level(score_injection_levels(model, Domain::A), structure_score(b, a));
      ba = choose_injection_level(score_injection_levels(model, Domain::B), structure_score(a, b));
    }
    RawModelArchive archive = read_raw_model_archive(path, analogy::kMethod);
    archive.info.state["default_inject"] = {{"ab", ab}, {"ba", ba}};
    write_raw_model_archive(path, archive);
  });
}

}  // namespace atelier
