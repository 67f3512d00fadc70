// One factory per method; each loads the model file and returns its view.
#pragma once

#include <memory>
#include <string>

#include "../model_view.h"

namespace atelier::viewer {

std::unique_ptr<ModelView> make_singan_view(const std::string& path, const ComputeOptions& compute);
std::unique_ptr<ModelView> make_analogy_view(const std::string& path,
                                             const ComputeOptions& compute);
std::unique_ptr<ModelView> make_videogen_view(const std::string& path,
                                              const ComputeOptions& compute);
std::unique_ptr<ModelView> make_disentangle_view(const std::string& path,
                                                 const ComputeOptions& compute);
std::unique_ptr<ModelView> make_masktransfer_view(const std::string& path,
                                                  const ComputeOptions& compute);
std::unique_ptr<ModelView> make_oneshot_view(const std::string& path,
                                             const ComputeOptions& compute);
// The instant mode: `picture` (read from `path`) sampled by patch nearest neighbours.
std::unique_ptr<ModelView> make_patchnn_view(const std::string& path, Image picture,
                                             const ComputeOptions& compute);

}  // namespace atelier::viewer
