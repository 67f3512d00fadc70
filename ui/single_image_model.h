// single_image_model.h — the studio's handle on a singan or analogy model, with what the Single
// image & analogy workspace shows. Calls are slow: run them on the renderer thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "atelier/compute.h"
#include "atelier/image.h"

namespace atelier {
class AnalogyModel;
class SinganModel;
}  // namespace atelier

namespace atelier::ui {

class SingleImageModel {
 public:
  // A singan or analogy model file; atelier::Error naming the file otherwise.
  static std::shared_ptr<const SingleImageModel> load(const std::string& path,
                                                      const atelier::ComputeOptions& compute);
  ~SingleImageModel();

  bool isPair() const { return bool(analogy_); }
  int scales() const;
  const std::string& path() const { return path_; }
  const std::string& method() const { return method_; }

  // singan: a random image `widthScale` times as wide as the training image; levels below
  // `level` keep the training image's layout. analogy: a random image of domain A (B with
  // `second`).
  atelier::Image sample(std::uint64_t seed, int level, double widthScale, bool second) const;
  // singan: between the samples of `seed` (t = 0) and seed + 1 (t = 1).
  atelier::Image between(std::uint64_t seed, double t, int level, double widthScale) const;
  // analogy: the level a->b (b->a with `second`) uses by default, chosen after training; the
  // level kChosenLevel passed to translate() means it. singan: 0.
  static constexpr int kChosenLevel = -1;
  int chosenLevel(bool second) const;
  // analogy: a->b (or b->a with `second`), the source entering at `level`.
  atelier::Image translate(bool second, int level, std::uint64_t seed) const;
  // A rough painting turned into an image: singan injects it at `level`; analogy translates it
  // as an image of A into B.
  atelier::Image paint(const atelier::Image& painting, int level, std::uint64_t seed) const;

 private:
  SingleImageModel() = default;
  std::string path_;
  std::string method_;
  std::unique_ptr<atelier::SinganModel> singan_;
  std::unique_ptr<atelier::AnalogyModel> analogy_;
};

}  // namespace atelier::ui
