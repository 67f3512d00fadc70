// oneshot_translator.h — the studio's handle on a oneshot model file (either phase), loadable by
// ModelLoader. Translations are slow: run them on the renderer thread.
#pragma once

#include <memory>
#include <string>

#include "atelier/compute.h"
#include "atelier/image.h"

namespace atelier {
class OneshotModel;
}

namespace atelier::ui {

class OneshotTranslator {
 public:
  // A oneshot model file; atelier::Error naming the file otherwise.
  static std::shared_ptr<const OneshotTranslator> load(const std::string& path,
                                                       const atelier::ComputeOptions& compute);
  ~OneshotTranslator();

  int phase() const;  // 1: the autoencoder of B only; 2: translates A to B
  int imageSize() const;
  const std::string& path() const { return path_; }
  // Phase II: the A picture it was trained on (at its image size).
  atelier::Image aImage() const;
  // Phase II: A -> B (the picture centre-cropped and resized to the model's size first).
  atelier::Image translate(const atelier::Image& picture) const;

 private:
  OneshotTranslator() = default;
  std::string path_;
  std::unique_ptr<atelier::OneshotModel> model_;
};

}  // namespace atelier::ui
