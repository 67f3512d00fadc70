#include "io/variation_files.h"

#include <filesystem>

namespace atelier {

namespace fs = std::filesystem;

std::vector<std::string> write_variation(const Video& variation, const std::string& dir, int k) {
  const std::string base = (fs::path(dir) / ("variation_" + std::to_string(k))).string();
  write_video(variation, base + ".mp4");
  write_video(variation, base + ".gif");
  return {base + ".mp4", base + ".gif"};
}

void write_input_and_contact_sheet(const Video& input, const std::vector<Video>& variations,
                                   const std::string& dir, VariationFiles& files) {
  files.input = (fs::path(dir) / "input.mp4").string();
  write_video(input, files.input);
  std::vector<Video> rows{input};
  rows.insert(rows.end(), variations.begin(), variations.end());
  files.contact_sheet = (fs::path(dir) / "contact_sheet.png").string();
  save_image(contact_sheet(rows), files.contact_sheet);
}

Image contact_sheet(const std::vector<Video>& rows, int frames) {
  std::vector<Image> cells;
  for (const Video& v : rows) {
    const int n = static_cast<int>(v.frames.size());
    for (int i = 0; i < frames; ++i) {
      const Image& frame = v.frames[frames == 1 ? 0 : i * (n - 1) / (frames - 1)];
      cells.push_back(resize_image(frame, rows.front().width(), rows.front().height()));
    }
  }
  return make_grid(cells, frames);
}

}  // namespace atelier
