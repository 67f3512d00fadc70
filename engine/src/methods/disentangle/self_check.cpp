#include "methods/disentangle/self_check.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "methods/disentangle/classifier.h"

namespace atelier {
namespace {

// Below this accuracy on real held-back pictures the judge's verdicts on transfers mean little.
// A judge of a 600-pair composite set of mixed contrast reached 69 % after 800 steps, 73-75 %
// after 2000 (the preview preset's) and 82 % after 4000. At 73-75 % it was biased. Over 7
// models it rated B onto A 13-53 % where a judge of 4000 other pairs (92.5 % accurate) rated
// 62-87 %, and A onto B 67-90 % where that judge rated 37-77 %. It said "B did not separate"
// of models that judge rated 72 % and 87 %. At 85.5 % (another set, 2000 pairs) and 96.5 %
// its verdicts were within 15 points of that judge's.
constexpr double kConclusiveAccuracy = 0.85;
// A direction carries its attribute when most of its transfers are judged as the source's domain.
constexpr double kCarriedShare = 0.5;
// The judge learns from at most this many pictures per set (memory: 64 px, 3 channels, float).
constexpr std::int64_t kMaxJudgePictures = 2000;
constexpr std::int64_t kChunk = 32;

std::string percent(double share) {
  return std::to_string(static_cast<int>(std::lround(100 * share))) + " %";
}

std::string did_not_separate(const char* attribute, const char* onto, double share,
                             double judge_accuracy) {
  return std::string(attribute) + "'s attribute did not separate: only " + percent(share) +
         " of its transfers onto held-back " + onto +
         " pictures look like its own set (a judge of the two sets tells " +
         percent(judge_accuracy) +
         " of real pictures apart), so transfers show a blur or nothing where the attribute "
         "should be. Try the standard preset (longer training), more pictures (a few hundred per "
         "set), or pictures where the attribute is larger and clearer.";
}

}  // namespace

bool TransferSelfCheck::conclusive() const {
  return pairs > 0 && judge_accuracy >= kConclusiveAccuracy;
}

bool TransferSelfCheck::separated() const {
  return conclusive() && a_onto_b_as_a >= kCarriedShare && b_onto_a_as_b >= kCarriedShare;
}

std::vector<std::string> TransferSelfCheck::warnings() const {
  if (!conclusive()) {
    return {
        "The self-check could not judge the transfers: a classifier of the two sets tells "
        "only " +
        percent(judge_accuracy) + " of the " + std::to_string(2 * pairs) +
        " held-back pictures apart. Look at the transfers by eye; a faint or small attribute "
        "separates better when the pictures are cropped so that it fills more of them."};
  }
  std::vector<std::string> out;
  if (a_onto_b_as_a < kCarriedShare)
    out.push_back(did_not_separate("A", "B", a_onto_b_as_a, judge_accuracy));
  if (b_onto_a_as_b < kCarriedShare)
    out.push_back(did_not_separate("B", "A", b_onto_a_as_b, judge_accuracy));
  return out;
}

nlohmann::json TransferSelfCheck::to_json() const {
  return {{"pairs", pairs},
          {"judge_accuracy", judge_accuracy},
          {"a_onto_b_as_a", a_onto_b_as_a},
          {"b_onto_a_as_b", b_onto_a_as_b},
          {"separated", separated()}};
}

std::optional<TransferSelfCheck> stored_self_check(const ModelInfo& info) {
  const auto found = info.state.find("self_check");
  if (found == info.state.end() || !found->is_object()) return std::nullopt;
  const nlohmann::json& j = *found;
  auto share = [&](const char* key) {
    const auto v = j.find(key);
    return v != j.end() && v->is_number() ? std::clamp(v->get<double>(), 0.0, 1.0) : 0.0;
  };
  TransferSelfCheck check;
  const auto pairs = j.find("pairs");
  check.pairs = pairs != j.end() && pairs->is_number_integer() ? std::max(0, pairs->get<int>()) : 0;
  check.judge_accuracy = share("judge_accuracy");
  check.a_onto_b_as_a = share("a_onto_b_as_a");
  check.b_onto_a_as_b = share("b_onto_a_as_b");
  if (check.pairs == 0) return std::nullopt;
  return check;
}

namespace disentangle {

std::optional<TransferSelfCheck> check_transfers(const Ops& ops, const DomainSplit& a,
                                                 const DomainSplit& b, int judge_steps,
                                                 std::uint64_t seed, const torch::Device& device,
                                                 const std::function<void(int)>& after_step) {
  const std::int64_t pairs = std::min(a.test.size(0), b.test.size(0));
  if (pairs == 0 || judge_steps <= 0) return std::nullopt;
  auto judge_set = [&](const torch::Tensor& train) {
    return bytes_to_float(train.narrow(0, 0, std::min(train.size(0), kMaxJudgePictures)), device);
  };
  DomainClassifier judge = train_domain_classifier(judge_set(a.train), judge_set(b.train),
                                                   judge_steps, seed, after_step);
  const torch::Tensor test_a = bytes_to_float(a.test, device);
  const torch::Tensor test_b = bytes_to_float(b.test, device);

  TransferSelfCheck check;
  check.pairs = static_cast<int>(pairs);
  check.judge_accuracy = accuracy(judge, test_a, test_b);
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> ab, ba;
  for (std::int64_t i = 0; i < pairs; i += kChunk) {
    const auto n = std::min(kChunk, pairs - i);
    const torch::Tensor x = test_a.narrow(0, i, n), y = test_b.narrow(0, i, n);
    const Codes cx = ops.encode(x), cy = ops.encode(y);
    ab.push_back(ops.transfer(cx, y, cy, Attribute::A));
    ba.push_back(ops.transfer(cy, x, cx, Attribute::B));
  }
  check.a_onto_b_as_a = share_classified(judge, torch::cat(ab), true);
  check.b_onto_a_as_b = share_classified(judge, torch::cat(ba), false);
  return check;
}

}  // namespace disentangle
}  // namespace atelier
