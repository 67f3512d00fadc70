#include "methods/patchnn/nn_search.h"

#include <torch/nn/functional/upsampling.h>
#include <torch/torch.h>

#include <algorithm>
#include <functional>

namespace atelier::patchnn {
namespace {

// The largest block of the distance matrix computed at once.
constexpr std::int64_t kTileBytes = std::int64_t(4) << 20;
// Queries scored at once by PatchMatch (bounds the gathered key features).
constexpr std::int64_t kScoreElements = std::int64_t(1) << 20;

// Squared distances of `rows` against every row of `columns`, one tile of rows at a time:
// visit(first_row, tile) gets a rows x N_columns block.
void for_each_distance_tile(const torch::Tensor& rows, const torch::Tensor& columns,
                            const std::function<void(std::int64_t, torch::Tensor)>& visit) {
  const torch::Tensor column_norms = columns.square().sum(1).unsqueeze(0);
  const std::int64_t n = rows.size(0), m = columns.size(0);
  const std::int64_t tile =
      std::max<std::int64_t>(1, kTileBytes / (4 * std::max<std::int64_t>(1, m)));
  for (std::int64_t first = 0; first < n; first += tile) {
    const torch::Tensor block = rows.narrow(0, first, std::min(tile, n - first));
    torch::Tensor d = torch::addmm(column_norms, block, columns.t(), 1, -2);
    d.add_(block.square().sum(1, true)).clamp_min_(0);
    visit(first, std::move(d));
  }
}

std::int64_t grid_size(const VolumeSize& grid, int dim) {
  return dim == 0 ? grid.frames : dim == 1 ? grid.height : grid.width;
}

// Keeps every coordinate inside the key grid.
torch::Tensor clamp_to(torch::Tensor field, const VolumeSize& key_grid) {
  for (int d = 0; d < 3; ++d) field[d].clamp_(0, grid_size(key_grid, d) - 1);
  return field;
}

// The candidate that query p takes from its neighbour p - step * e_dim: that neighbour's key
// moved by the same step (PatchMatch's propagation), for every query at once.
torch::Tensor propagated(const torch::Tensor& field, int dim, int step) {
  const std::int64_t n = field.size(dim + 1);
  torch::Tensor moved;
  if (step > 0) {
    moved = torch::cat({field.narrow(dim + 1, 0, 1), field.narrow(dim + 1, 0, n - 1)}, dim + 1);
  } else {
    moved = torch::cat({field.narrow(dim + 1, 1, n - 1), field.narrow(dim + 1, n - 1, 1)}, dim + 1);
  }
  moved[dim].add_(step);
  return moved;
}

}  // namespace

double in_place_share(const torch::Tensor& field, const VolumeSize& key_grid) {
  torch::Tensor near = torch::ones(field[0].sizes(), field.options().dtype(torch::kBool));
  for (int d = 0; d < 3; ++d) {
    const std::int64_t queries = field.size(d + 1), keys = grid_size(key_grid, d);
    // The query's own position, stretched onto the key grid.
    const double stretch = queries > 1 ? double(keys - 1) / double(queries - 1) : 0.0;
    std::vector<std::int64_t> shape{1, 1, 1};
    shape[d] = queries;
    const torch::Tensor own = torch::arange(queries, field.options().dtype(torch::kDouble))
                                  .mul(stretch)
                                  .round()
                                  .view(shape);
    near.logical_and_(field[d].to(torch::kDouble).sub(own).abs().le(1));
  }
  return near.to(torch::kDouble).mean().item<double>();
}

torch::Tensor field_to_index(const torch::Tensor& field, const VolumeSize& key_grid) {
  return ((field[0] * key_grid.height + field[1]) * key_grid.width + field[2]).reshape({-1});
}

torch::Tensor index_to_field(const torch::Tensor& index, const VolumeSize& query_grid,
                             const VolumeSize& key_grid) {
  const std::int64_t plane = std::int64_t(key_grid.height) * key_grid.width;
  const torch::Tensor t = index.div(plane, "floor");
  const torch::Tensor rest = index.remainder(plane);
  return torch::stack({t, rest.div(key_grid.width, "floor"), rest.remainder(key_grid.width)})
      .reshape({3, query_grid.frames, query_grid.height, query_grid.width});
}

torch::Tensor exact_field(const PatchSet& queries, const PatchSet& keys,
                          const torch::Tensor& key_weights) {
  torch::Tensor best =
      torch::empty({queries.features.size(0)}, queries.features.options().dtype(torch::kLong));
  const torch::Tensor weights = key_weights.defined() ? key_weights.unsqueeze(0) : key_weights;
  for_each_distance_tile(queries.features, keys.features, [&](std::int64_t first, torch::Tensor d) {
    if (weights.defined()) d.mul_(weights);
    best.narrow(0, first, d.size(0)).copy_(d.argmin(1));
  });
  return index_to_field(best, queries.grid, keys.grid);
}

torch::Tensor exact_best_distances(const PatchSet& keys, const PatchSet& queries) {
  torch::Tensor best = torch::empty({keys.features.size(0)}, keys.features.options());
  for_each_distance_tile(keys.features, queries.features, [&](std::int64_t first, torch::Tensor d) {
    best.narrow(0, first, d.size(0)).copy_(std::get<0>(d.min(1)));
  });
  return best;
}

torch::Tensor field_scores(const PatchSet& queries, const PatchSet& keys,
                           const torch::Tensor& key_weights, const torch::Tensor& field) {
  const torch::Tensor index = field_to_index(field, keys.grid);
  const std::int64_t n = index.size(0), dims = queries.features.size(1);
  const std::int64_t chunk =
      std::max<std::int64_t>(1, kScoreElements / std::max<std::int64_t>(1, dims));
  torch::Tensor scores = torch::empty({n}, queries.features.options());
  for (std::int64_t first = 0; first < n; first += chunk) {
    const std::int64_t count = std::min(chunk, n - first);
    const torch::Tensor chosen = index.narrow(0, first, count);
    torch::Tensor s = keys.features.index_select(0, chosen)
                          .sub_(queries.features.narrow(0, first, count))
                          .square_()
                          .sum(1);
    if (key_weights.defined()) s.mul_(key_weights.index_select(0, chosen));
    scores.narrow(0, first, count).copy_(s);
  }
  return scores;
}

FieldScores patchmatch(const PatchSet& queries, const PatchSet& keys,
                       const torch::Tensor& key_weights, torch::Tensor field, int iterations,
                       at::Generator& generator) {
  const VolumeSize& qg = queries.grid;
  const VolumeSize& kg = keys.grid;
  torch::Tensor scores = field_scores(queries, keys, key_weights, field);
  const std::vector<std::int64_t> grid_shape{1, qg.frames, qg.height, qg.width};
  auto consider = [&](torch::Tensor candidate) {
    candidate = clamp_to(std::move(candidate), kg);
    const torch::Tensor s = field_scores(queries, keys, key_weights, candidate);
    const torch::Tensor better = s < scores;
    field = torch::where(better.view(grid_shape), candidate, field);
    scores = torch::where(better, s, scores);
  };
  const int widest = std::max({kg.frames, kg.height, kg.width});
  for (int it = 0; it < iterations; ++it) {
    // Propagation, alternating the sweep direction between iterations as PatchMatch does.
    const int step = it % 2 == 0 ? 1 : -1;
    for (int dim = 0; dim < 3; ++dim) {
      if (grid_size(qg, dim) < 2) continue;
      consider(propagated(field, dim, step));
      consider(propagated(field, dim, -step));
    }
    // Random search around the current best, in windows halving from the whole key grid.
    for (int radius = widest; radius >= 1; radius /= 2) {
      std::vector<torch::Tensor> moves;
      for (int dim = 0; dim < 3; ++dim) {
        const int r = static_cast<int>(std::min<std::int64_t>(radius, grid_size(kg, dim) - 1));
        moves.push_back(
            torch::randint(-r, r + 1, {qg.frames, qg.height, qg.width}, generator, torch::kLong));
      }
      consider(field + torch::stack(moves).to(field.device()));
    }
  }
  return {field, scores};
}

torch::Tensor random_field(const VolumeSize& query_grid, const VolumeSize& key_grid,
                           const torch::Device& device, at::Generator& generator) {
  std::vector<torch::Tensor> coordinates;
  for (int dim = 0; dim < 3; ++dim) {
    coordinates.push_back(torch::randint(grid_size(key_grid, dim),
                                         {query_grid.frames, query_grid.height, query_grid.width},
                                         generator, torch::kLong));
  }
  return torch::stack(coordinates).to(device);
}

torch::Tensor upscale_field(const torch::Tensor& field, const VolumeSize& old_key_grid,
                            const VolumeSize& query_grid, const VolumeSize& key_grid) {
  namespace F = torch::nn::functional;
  // Interpolating key coordinates keeps coherent regions coherent: neighbouring queries of a
  // region copied whole get neighbouring keys.
  torch::Tensor stretched =
      F::interpolate(field.unsqueeze(0).to(torch::kFloat),
                     F::InterpolateFuncOptions()
                         .size(std::vector<std::int64_t>{query_grid.frames, query_grid.height,
                                                         query_grid.width})
                         .mode(torch::kTrilinear)
                         .align_corners(true))
          .squeeze(0);
  for (int dim = 0; dim < 3; ++dim) {
    const double from = std::max<std::int64_t>(1, grid_size(old_key_grid, dim) - 1);
    stretched[dim].mul_((grid_size(key_grid, dim) - 1) / from);
  }
  return clamp_to(stretched.round().to(torch::kLong), key_grid);
}

}  // namespace atelier::patchnn
