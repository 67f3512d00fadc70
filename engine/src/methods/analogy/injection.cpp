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

// A level's quality is the product of what it does for each side, each in units of what is asked
// of it: structure (its score above the target's own, in units of kStructureUnit, counted up to
// kEnoughStructure units: beyond that, more of the source's shapes only makes a copy) and
// appearance (kSwdRatioBound times the mirrored target's patch SWD over its own). A near copy of
// the source (patch SWD to the source under the mirrored source's) loses the square of that
// ratio. Levels that keep no structure rank below every level that keeps some, by structure.
//
// The finest level is never the default: entered there, the source meets only its last generator
// and comes out recoloured, every edge in place (structure 0.75 to 0.97 on four pairs of
// ../shared/data photos), while its patch SWD to the target can still be the lowest.
//
// On those four pairs (preview preset) the chosen levels were the ones that look like analogies;
// the worse of structure and appearance alone chose a blurred coarse level where every level's
// appearance was similar (fruits -> coffee).
//
// A level that meets what is asked of both sides (at least one unit of structure, patch SWD at most
// kSwdRatioBound times the mirrored target's, no near copy) is preferred to any that does not: the
// product alone let a little more structure outweigh crossing the bound, and on fruits -> coffee
// it chose a level at 2.07x over one at 1.38x that kept 1.3 units of structure.
constexpr double kStructureUnit = 0.25;
constexpr double kEnoughStructure = 2.0;
constexpr double kSwdRatioBound = 2.0;

Domain other(Domain d) {
  return d == Domain::A ? Domain::B : Domain::A;
}

double level_quality(const AnalogyLevelScore& level, double structure_baseline) {
  const double structure = (level.structure - structure_baseline) / kStructureUnit;
  if (structure <= 0) return structure - 1;  // below every level that keeps some structure
  const double appearance = kSwdRatioBound / std::max(level.swd_ratio, 1e-6);
  const double copy = std::min(1.0, level.source_swd_ratio);
  return std::min(structure, kEnoughStructure) * appearance * copy * copy;
}

bool meets_targets(const AnalogyLevelScore& level, double structure_baseline) {
  return level.structure - structure_baseline >= kStructureUnit &&
         level.swd_ratio <= kSwdRatioBound && level.source_swd_ratio >= 1.0;
}

}  // namespace

std::vector<AnalogyLevelScore> score_injection_levels(const AnalogyModel& model, Domain from,
                                                      const SwdOptions& swd, std::uint64_t seed) {
  const Image source = model.training_image(from);
  const Image target = model.training_image(other(from));
  const double mirrored_target = std::max(mirrored_swd(target, swd), 1e-12);
  const double mirrored_source = std::max(mirrored_swd(source, swd), 1e-12);
  std::vector<AnalogyLevelScore> levels;
  for (int k = 0; k < model.scales(); ++k) {
    AnalogyTranslateOptions options;
    options.inject = k;
    options.seed = seed;
    const Image out = model.translate(from, options);
    AnalogyLevelScore level;
    level.inject = k;
    level.structure = structure_score(out, source);
    level.swd_ratio = patch_swd(out, target, swd).mean / mirrored_target;
    level.source_swd_ratio = patch_swd(out, source, swd).mean / mirrored_source;
    levels.push_back(level);
  }
  return levels;
}

int choose_injection_level(const std::vector<AnalogyLevelScore>& levels,
                           double structure_baseline) {
  int best = 0;
  bool best_meets = false;
  double best_quality = -std::numeric_limits<double>::infinity();
  const std::size_t candidates = levels.size() > 1 ? levels.size() - 1 : levels.size();
  for (std::size_t i = 0; i < candidates; ++i) {
    const AnalogyLevelScore& level = levels[i];
    const bool meets = meets_targets(level, structure_baseline);
    const double quality = level_quality(level, structure_baseline);
    if (meets > best_meets || (meets == best_meets && quality > best_quality)) {
      best_meets = meets;
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
