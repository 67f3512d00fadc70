// transfer_model.h — the studio's handle on a trained attribute-transfer model: disentangle or
// masktransfer (by the file's method), with the operations the workspace offers. Its calls are
// slow (tens of milliseconds): run them on the renderer or job thread, never the GUI thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "atelier/compute.h"
#include "atelier/disentangle.h"
#include "atelier/image.h"

namespace atelier {
class MasktransferModel;
}  // namespace atelier

namespace atelier::ui {

class TransferModel {
 public:
  struct Output {
    atelier::Image image;
    atelier::Image mask;  // masktransfer: where the image changed; empty for disentangle
  };

  // Reads a disentangle or masktransfer model file; atelier::Error naming the file otherwise.
  static std::shared_ptr<const TransferModel> load(const std::string& path,
                                                   const atelier::ComputeOptions& compute);
  ~TransferModel();

  // The attribute of `from` (A or B, by its gallery) given to `onto`.
  Output transfer(const atelier::Image& from, const atelier::Image& onto, bool attributeA) const;
  // Both attributes removed.
  Output remove(const atelier::Image& image) const;
  // The codes of an image, to edit and render with generate().
  atelier::DisentangleCodes encode(const atelier::Image& image) const;
  // Edited codes of `image` rendered as the method renders (masktransfer: over the image).
  Output generate(const atelier::Image& image, const atelier::DisentangleCodes& codes) const;

  const std::string& method() const { return method_; }
  const std::string& path() const { return path_; }
  // What the model's self-check after training found wrong, in plain sentences (none: it passed,
  // or the file has no check).
  const std::vector<std::string>& selfCheckWarnings() const { return selfCheckWarnings_; }
  int imageSize() const;

 private:
  TransferModel() = default;
  std::string method_;
  std::string path_;
  std::vector<std::string> selfCheckWarnings_;
  std::unique_ptr<atelier::DisentangleModel> disentangle_;
  std::unique_ptr<atelier::MasktransferModel> masktransfer_;
};

}  // namespace atelier::ui
