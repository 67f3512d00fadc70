#include "methods/analogy/networks.h"

namespace atelier::analogy {

nn::PatchNetOptions generator_options(const AnalogyParams& params, int scale, int scales) {
  nn::PatchNetOptions o;
  o.width =
      nn::scale_width(scale, params.channels, params.max_channels, params.channels_double_every);
  o.min_width = o.width;
  o.layers = params.layers;
  o.batch_norm = params.batch_norm;
  o.slope = params.leaky_slope;
  o.residual = scale < scales - params.direct_scales;
  o.norm_per_picture = true;  // the generator step runs a sample and a reconstruction together
  return o;
}

nn::PatchNetOptions discriminator_options(const AnalogyParams& params, int scale) {
  nn::PatchNetOptions o = generator_options(params, scale, 0);
  o.out_channels = 1;
  o.norm_per_picture = false;  // a sample and a translation are judged as one batch
  return o;
}

torch::Tensor translate_at(const nn::GeneratorStack& stack, int k, const torch::Tensor& source) {
  nn::PatchGenerator generator = stack.generators[k];
  return generator->forward(source, source);
}

}  // namespace atelier::analogy
