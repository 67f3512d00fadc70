#include "single_image_model.h"

#include <algorithm>
#include <cmath>

#include "atelier/analogy.h"
#include "atelier/error.h"
#include "atelier/model_file.h"
#include "atelier/singan.h"

namespace atelier::ui {
namespace {

atelier::SinganSampleOptions sampleOptions(const atelier::SinganModel& m, std::uint64_t seed,
                                           int level, double widthScale) {
  atelier::SinganSampleOptions o;
  o.seed = seed;
  o.start_scale = level;
  if (std::abs(widthScale - 1.0) > 1e-6) {
    o.width = static_cast<int>(std::lround(m.width() * widthScale));
    o.height = m.height();
  }
  return o;
}

}  // namespace

std::shared_ptr<const SingleImageModel> SingleImageModel::load(
    const std::string& path, const atelier::ComputeOptions& compute) {
  const atelier::ModelInfo info = atelier::inspect_model(path);
  std::shared_ptr<SingleImageModel> model(new SingleImageModel);
  model->path_ = path;
  model->method_ = info.method;
  if (info.method == "singan") {
    model->singan_ =
        std::make_unique<atelier::SinganModel>(atelier::SinganModel::load(path, compute));
  } else if (info.method == "analogy") {
    model->analogy_ =
        std::make_unique<atelier::AnalogyModel>(atelier::AnalogyModel::load(path, compute));
  } else {
    throw atelier::bad_input(path + ": a " + info.method +
                             " model, but this workspace needs singan or analogy");
  }
  return model;
}

SingleImageModel::~SingleImageModel() = default;

int SingleImageModel::scales() const {
  return singan_ ? static_cast<int>(singan_->scales().size()) : analogy_->scales();
}

atelier::Image SingleImageModel::sample(std::uint64_t seed, int level, double widthScale,
                                        bool second) const {
  if (analogy_) {
    return analogy_->sample(second ? atelier::Domain::B : atelier::Domain::A, seed,
                            std::max(level, 0));
  }
  return singan_->sample(sampleOptions(*singan_, seed, level, widthScale));
}

atelier::Image SingleImageModel::between(std::uint64_t seed, double t, int level,
                                         double widthScale) const {
  if (analogy_) return sample(seed, level, widthScale, false);
  return singan_->interpolate(seed, seed + 1, t, sampleOptions(*singan_, seed, level, widthScale));
}

static_assert(SingleImageModel::kChosenLevel == atelier::kModelInjection);

int SingleImageModel::chosenLevel(bool second) const {
  return analogy_ ? analogy_->default_inject(second ? atelier::Domain::B : atelier::Domain::A) : 0;
}

atelier::Image SingleImageModel::translate(bool second, int level, std::uint64_t seed) const {
  if (!analogy_) return singan_->reconstruct();
  atelier::AnalogyTranslateOptions o;
  o.inject = level;
  o.seed = seed;
  return analogy_->translate(second ? atelier::Domain::B : atelier::Domain::A, o);
}

atelier::Image SingleImageModel::paint(const atelier::Image& painting, int level,
                                       std::uint64_t seed) const {
  if (analogy_) {
    atelier::AnalogyTranslateOptions o;
    o.inject = level;
    o.seed = seed;
    return analogy_->translate(painting, atelier::Domain::A, o);
  }
  return singan_->paint(painting, level, seed);
}

}  // namespace atelier::ui
