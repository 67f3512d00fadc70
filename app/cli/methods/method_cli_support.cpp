#include "methods/method_cli_support.h"

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "atelier/error.h"
#include "atelier/video.h"

namespace atelier::cli {

std::pair<int, int> parse_size(const std::string& text) {
  int w = 0, h = 0;
  char x = 0, extra = 0;
  if (std::sscanf(text.c_str(), "%d%c%d%c", &w, &x, &h, &extra) != 3 || (x != 'x' && x != 'X') ||
      w <= 0 || h <= 0)
    throw usage_error("size '" + text + "' is not of the form WxH (for example 160x96)");
  return {w, h};
}

void write_images(const std::vector<Image>& images, const std::string& out) {
  if (images.size() == 1 && is_image_file_name(out)) return save_image(images.front(), out);
  if (is_image_file_name(out)) {
    const int columns = static_cast<int>(std::ceil(std::sqrt(double(images.size()))));
    return save_image(make_grid(images, columns), out);
  }
  std::filesystem::create_directories(out);
  for (std::size_t i = 0; i < images.size(); ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "/%03zu.png", i);
    save_image(images[i], out + name);
  }
}

void write_sequence(const std::vector<Image>& frames, const std::string& out, double fps) {
  if (is_video_file_name(out)) {
    Video video;
    video.frames = frames;
    video.fps = fps;
    return write_video(video, out);
  }
  save_image(make_grid(frames, static_cast<int>(frames.size())), out);
}

}  // namespace atelier::cli
