// Nearest-neighbour fields between the patches of two volumes, on features from patch_features.
//
// A field holds, for every query patch position (t, y, x) of its grid, the position of the chosen
// key patch: a 3 x T' x H' x W' long tensor (key t, y, x). Scores are squared feature distances,
// times a per-key weight when the completeness score is on (weight = 1 / (alpha + the key's best
// distance to any query)).
#pragma once

#include <torch/types.h>

#include <ATen/core/Generator.h>

#include "methods/patchnn/volume_pyramid.h"

namespace atelier::patchnn {

// Patch features (N x D, grid order) with their grid.
struct PatchSet {
  torch::Tensor features;
  VolumeSize grid;
};

// Exact: each query's best key, by tiled matrix products (memory stays bounded). `key_weights`
// (N_keys, may be undefined) multiplies the distances.
torch::Tensor exact_field(const PatchSet& queries, const PatchSet& keys,
                          const torch::Tensor& key_weights);

// Exact: every key's smallest distance to any query (N_keys).
torch::Tensor exact_best_distances(const PatchSet& keys, const PatchSet& queries);

// PatchMatch from `field` (on the queries' grid, into the keys' grid): `iterations` sweeps of
// propagation from the six (or four) neighbours and a random search in shrinking windows,
// vectorised over every query at once. Returns the improved field and its scores (N_queries).
struct FieldScores {
  torch::Tensor field;
  torch::Tensor scores;
};
FieldScores patchmatch(const PatchSet& queries, const PatchSet& keys,
                       const torch::Tensor& key_weights, torch::Tensor field, int iterations,
                       at::Generator& generator);

// A field of uniformly random keys for the queries' grid.
torch::Tensor random_field(const VolumeSize& query_grid, const VolumeSize& key_grid,
                           const torch::Device& device, at::Generator& generator);

// A field of a coarser level carried to finer grids: positions resampled to `query_grid`,
// key coordinates stretched to `key_grid`.
torch::Tensor upscale_field(const torch::Tensor& field, const VolumeSize& old_key_grid,
                            const VolumeSize& query_grid, const VolumeSize& key_grid);

// Each query's smallest score over the keys, from a field (N_queries): the distances of a
// field found for the reverse direction.
torch::Tensor field_scores(const PatchSet& queries, const PatchSet& keys,
                           const torch::Tensor& key_weights, const torch::Tensor& field);

// The share of queries whose key lies where the query itself lies, scaled from the queries' grid
// to the keys' (within one patch position in each dimension): 1 for a plain copy of the source.
double in_place_share(const torch::Tensor& field, const VolumeSize& key_grid);

// Linear key indices (grid order) of a field, and back.
torch::Tensor field_to_index(const torch::Tensor& field, const VolumeSize& key_grid);
torch::Tensor index_to_field(const torch::Tensor& index, const VolumeSize& query_grid,
                             const VolumeSize& key_grid);

}  // namespace atelier::patchnn
