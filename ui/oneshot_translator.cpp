#include "oneshot_translator.h"

#include "atelier/oneshot.h"

namespace atelier::ui {

std::shared_ptr<const OneshotTranslator> OneshotTranslator::load(
    const std::string& path, const atelier::ComputeOptions& compute) {
  std::shared_ptr<OneshotTranslator> t(new OneshotTranslator);
  t->path_ = path;
  t->model_ = std::make_unique<atelier::OneshotModel>(atelier::OneshotModel::load(path, compute));
  return t;
}

OneshotTranslator::~OneshotTranslator() = default;

int OneshotTranslator::phase() const {
  return model_->phase();
}
int OneshotTranslator::imageSize() const {
  return model_->image_size();
}
atelier::Image OneshotTranslator::aImage() const {
  return model_->a_image();
}
atelier::Image OneshotTranslator::translate(const atelier::Image& picture) const {
  return model_->translate(picture, atelier::OneshotDomain::A);
}

}  // namespace atelier::ui
