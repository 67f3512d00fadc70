#include "methods/singan/networks.h"

namespace atelier::singan {

nn::PatchNetOptions generator_options(const SinganParams& params, int scale) {
  nn::PatchNetOptions o;
  o.width =
      nn::scale_width(scale, params.channels, params.max_channels, params.channels_double_every);
  o.min_width = o.width;
  o.layers = params.layers;
  o.batch_norm = params.batch_norm;
  o.norm_per_picture = true;  // iterate() runs two pictures as one batch
  o.slope = params.leaky_slope;
  o.residual = true;
  return o;
}

nn::PatchNetOptions discriminator_options(const SinganParams& params, int scale) {
  nn::PatchNetOptions o = generator_options(params, scale);
  o.out_channels = 1;
  return o;
}

}  // namespace atelier::singan
