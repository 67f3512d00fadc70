#include "io/palette.h"

#include <algorithm>
#include <numeric>
#include <queue>

namespace atelier::io {
namespace {

struct Box {
  std::size_t begin = 0;
  std::size_t end = 0;
  int axis = 0;      // channel with the largest variance
  double error = 0;  // sum of squared distances to the mean, all channels
  Rgb mean{};
  bool operator<(const Box& other) const { return error < other.error; }
};

Box make_box(const std::vector<Rgb>& samples, std::size_t begin, std::size_t end) {
  Box box;
  box.begin = begin;
  box.end = end;
  double sum[3] = {0, 0, 0};
  double square[3] = {0, 0, 0};
  for (std::size_t i = begin; i < end; ++i) {
    for (int c = 0; c < 3; ++c) {
      const double v = samples[i][c];
      sum[c] += v;
      square[c] += v * v;
    }
  }
  const double n = static_cast<double>(end - begin);
  double best = -1;
  for (int c = 0; c < 3; ++c) {
    const double channel_error = std::max(0.0, square[c] - sum[c] * sum[c] / n);
    box.error += channel_error;
    if (channel_error > best) {
      best = channel_error;
      box.axis = c;
    }
    box.mean[c] = static_cast<std::uint8_t>(std::clamp(sum[c] / n + 0.5, 0.0, 255.0));
  }
  return box;
}

int distance2(const Rgb& a, int r, int g, int b) {
  const int dr = a[0] - r, dg = a[1] - g, db = a[2] - b;
  return dr * dr + dg * dg + db * db;
}

}  // namespace

std::vector<Rgb> median_cut_palette(std::vector<Rgb> samples, int colors) {
  std::vector<Rgb> palette;
  if (samples.empty() || colors <= 0) return palette;
  std::priority_queue<Box> boxes;
  boxes.push(make_box(samples, 0, samples.size()));
  std::vector<Box> done;
  while (!boxes.empty() && static_cast<int>(boxes.size() + done.size()) < colors) {
    Box box = boxes.top();
    boxes.pop();
    if (box.error <= 0 || box.end - box.begin < 2) {  // a single colour: nothing to split
      done.push_back(box);
      continue;
    }
    const std::size_t middle = box.begin + (box.end - box.begin) / 2;
    const int axis = box.axis;
    std::nth_element(samples.begin() + box.begin, samples.begin() + middle,
                     samples.begin() + box.end,
                     [axis](const Rgb& a, const Rgb& b) { return a[axis] < b[axis]; });
    boxes.push(make_box(samples, box.begin, middle));
    boxes.push(make_box(samples, middle, box.end));
  }
  for (; !boxes.empty(); boxes.pop()) done.push_back(boxes.top());
  for (const Box& box : done) palette.push_back(box.mean);
  std::sort(palette.begin(), palette.end());
  palette.erase(std::unique(palette.begin(), palette.end()), palette.end());
  return palette;
}

NearestColor::NearestColor(const std::vector<Rgb>& palette)
    : cache_(std::size_t(1) << 24), known_((std::size_t(1) << 24) / 64, 0) {
  std::vector<std::uint8_t> order(palette.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::uint8_t a, std::uint8_t b) { return palette[a][0] < palette[b][0]; });
  for (std::uint8_t i : order) {
    sorted_.push_back(palette[i]);
    sorted_index_.push_back(i);
  }
}

std::uint8_t NearestColor::operator()(std::uint8_t r, std::uint8_t g, std::uint8_t b) {
  const std::uint32_t key = (std::uint32_t(r) << 16) | (std::uint32_t(g) << 8) | b;
  std::uint64_t& word = known_[key >> 6];
  const std::uint64_t bit = std::uint64_t(1) << (key & 63);
  if (!(word & bit)) {
    cache_[key] = search(r, g, b);
    word |= bit;
  }
  return cache_[key];
}

std::uint8_t NearestColor::search(int r, int g, int b) const {
  // Walk outwards from the first entry with red >= r; stop each side once red alone is too far.
  const auto start = std::lower_bound(sorted_.begin(), sorted_.end(), r,
                                      [](const Rgb& c, int red) { return c[0] < red; });
  const int n = static_cast<int>(sorted_.size());
  int best = 0;
  int best_distance = 1 << 30;
  int up = static_cast<int>(start - sorted_.begin());
  int down = up - 1;
  while (up < n || down >= 0) {
    if (up < n) {
      const int dr = sorted_[up][0] - r;
      if (dr * dr >= best_distance) {
        up = n;
      } else {
        const int d = distance2(sorted_[up], r, g, b);
        if (d < best_distance) best_distance = d, best = up;
        ++up;
      }
    }
    if (down >= 0) {
      const int dr = r - sorted_[down][0];
      if (dr * dr >= best_distance) {
        down = -1;
      } else {
        const int d = distance2(sorted_[down], r, g, b);
        if (d < best_distance) best_distance = d, best = down;
        --down;
      }
    }
  }
  return sorted_index_[best];
}

}  // namespace atelier::io
