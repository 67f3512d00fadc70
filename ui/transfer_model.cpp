#include "transfer_model.h"

#include "atelier/disentangle.h"
#include "atelier/error.h"
#include "atelier/masktransfer.h"
#include "atelier/model_file.h"

namespace atelier::ui {
namespace {

atelier::Attribute attributeOf(bool a) {
  return a ? atelier::Attribute::A : atelier::Attribute::B;
}

TransferModel::Output masked(atelier::MaskedImage m) {
  return {std::move(m.image), std::move(m.mask)};
}

}  // namespace

std::shared_ptr<const TransferModel> TransferModel::load(const std::string& path,
                                                         const atelier::ComputeOptions& compute) {
  const atelier::ModelInfo info = atelier::inspect_model(path);
  std::shared_ptr<TransferModel> model(new TransferModel);
  model->method_ = info.method;
  model->path_ = path;
  if (const auto check = atelier::stored_self_check(info)) {
    model->selfCheckWarnings_ = check->warnings();
  }
  if (info.method == "disentangle") {
    model->disentangle_ =
        std::make_unique<atelier::DisentangleModel>(atelier::DisentangleModel::load(path, compute));
  } else if (info.method == "masktransfer") {
    model->masktransfer_ = std::make_unique<atelier::MasktransferModel>(
        atelier::MasktransferModel::load(path, compute));
  } else {
    throw atelier::bad_input(path + ": a " + info.method +
                             " model, but attribute transfer needs disentangle or masktransfer");
  }
  return model;
}

TransferModel::~TransferModel() = default;

TransferModel::Output TransferModel::transfer(const atelier::Image& from,
                                              const atelier::Image& onto, bool attributeA) const {
  if (masktransfer_) return masked(masktransfer_->transfer(from, onto, attributeOf(attributeA)));
  return {disentangle_->transfer(from, onto, attributeOf(attributeA)), {}};
}

TransferModel::Output TransferModel::remove(const atelier::Image& image) const {
  if (masktransfer_) return masked(masktransfer_->remove(image));
  return {disentangle_->remove(image), {}};
}

atelier::DisentangleCodes TransferModel::encode(const atelier::Image& image) const {
  return masktransfer_ ? masktransfer_->encode(image) : disentangle_->encode(image);
}

TransferModel::Output TransferModel::generate(const atelier::Image& image,
                                              const atelier::DisentangleCodes& codes) const {
  if (masktransfer_) return masked(masktransfer_->generate(image, codes));
  return {disentangle_->generate(codes), {}};
}

int TransferModel::imageSize() const {
  return masktransfer_ ? masktransfer_->image_size() : disentangle_->image_size();
}

}  // namespace atelier::ui
