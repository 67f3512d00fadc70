// The mask guide of the layered generator: the domain critic's verdicts on real images, used as
// a weak segmentation that starts the attribute layers on the attributes from the first steps.
#pragma once

#include <torch/types.h>

#include <functional>

namespace atelier::disentangle {

// A batch-wide mean of a data-parallel training: this process's mean of its part of the batch in,
// the (detached) mean over the whole batch out. Empty: the batch is all here.
using BatchMean = std::function<torch::Tensor(const torch::Tensor&)>;

// How the guide turns the critic's confidence into the cover it wants (DisentangleParams' guide_*).
struct GuideShape {
  double start_at = 0.5;  // confidence from which a cell wants any cover
  double full_at = 1.0;   // confidence at which it wants full cover (linear between)
  int area = 1;           // side of the square the mask is averaged over before it counts
  int reach = 0;          // cells around a cell whose cover answers for it
};

// alpha: N x 1 x S x S attribute mask; p_own: N x 1 x C x C, the critic's probability that each
// patch shows the image's own attribute. Where the critic is confident (p_own > start_at), the
// mask must be present near the patch's cell: its maximum over the cell and the `reach` cells
// around it must reach the wanted coverage, which rises from 0 at `start_at` to 1 at `full_at`.
// With area > 1 the mask is first averaged over area x area pixels, so a lone dot cannot answer
// for a cell (masks of scattered dots) but a solid stroke can. With reach 0 every confident cell
// needs cover of its own, and the cells between a digit's strokes grew the masks into blobs
// around the digit. Away from confident patches (one cell of margin) the mask must be empty, so
// the layer cannot take over shared content. The missing cover is measured relative to the
// wanted cover over the whole batch (`over_batch`).
torch::Tensor guide_loss(const torch::Tensor& alpha, const torch::Tensor& p_own,
                         const GuideShape& shape, const BatchMean& over_batch = {});

// How far an attribute layer's colours (rgb: N x 3 x S x S) are from the image x where its mask
// covers it: the mean of alpha * |rgb - x|. A layer pays for every pixel it covers with colours
// it cannot paint, so its mask shrinks onto what it draws well. The reconstruction alone does not
// do that: the area a mask erases from the common encoder's view is as grey in the background as
// in a layer that never learned its colours, so the two blend to the same wrong result.
torch::Tensor layer_fit_loss(const torch::Tensor& alpha, const torch::Tensor& rgb,
                             const torch::Tensor& x);

// How much of the solid guide (and of the layer-fit term) applies at `progress` (the share of
// training done, in [0, 1]) when it starts at `from`: 0 before, 1 a tenth of training after it,
// linear between; always 1 when `from` is 0.
double solid_guide_share(double progress, double from);

}  // namespace atelier::disentangle
