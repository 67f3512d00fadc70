// Animated GIF export with giflib: GIF89a, one global median-cut palette, loops forever.
#include "io/gif_writer.h"

#include <fcntl.h>
#include <gif_lib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

#include "atelier/error.h"
#include "io/atomic_file.h"
#include "io/palette.h"

namespace atelier {
namespace io {
namespace {

constexpr std::size_t kMaxPaletteSamples = 250'000;

// Pixels spread over every frame, with a jittered stride so rows and columns are not aliased.
std::vector<Rgb> sample_pixels(const std::vector<Image>& frames) {
  const std::size_t frame_pixels = static_cast<std::size_t>(frames[0].width) * frames[0].height;
  const std::size_t total = frame_pixels * frames.size();
  const std::size_t step =
      std::max<std::size_t>(1, (total + kMaxPaletteSamples - 1) / kMaxPaletteSamples);
  std::vector<Rgb> samples;
  samples.reserve(total / step + 1);
  std::uint32_t jitter = 12345;
  for (std::size_t base = 0; base < total; base += step) {
    jitter = jitter * 1664525u + 1013904223u;
    const std::size_t index = std::min(total - 1, base + (jitter >> 8) % step);
    const std::uint8_t* p = frames[index / frame_pixels].pixels.data() + 3 * (index % frame_pixels);
    samples.push_back({p[0], p[1], p[2]});
  }
  return samples;
}

// Frame delay in 1/100 s; browsers treat delays below 2 as 10, so 2 is the floor.
int delay_centiseconds(double fps) {
  return std::clamp(static_cast<int>(std::lround(100.0 / fps)), 2, 65535);
}

class GifFile {
 public:
  GifFile(const std::string& temp, const std::string& path) : path_(path) {
    // Opened here rather than by EGifOpenFileName, which creates files readable by the owner only.
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0) throw io_error(path + ": cannot write (" + std::strerror(errno) + ")");
    int error = 0;
    gif_ = EGifOpenFileHandle(fd, &error);  // owns fd from here on
    if (!gif_) {
      ::close(fd);
      fail(error);
    }
    EGifSetGifVersion(gif_, true);  // GIF89a: needed for delays and the loop extension
  }
  ~GifFile() {
    if (gif_) EGifCloseFile(gif_, nullptr);
  }
  GifFile(const GifFile&) = delete;
  GifFile& operator=(const GifFile&) = delete;

  void screen(int width, int height, const std::vector<Rgb>& palette) {
    GifColorType colors[256] = {};
    for (std::size_t i = 0; i < 256; ++i) {
      const Rgb& c = palette[std::min(i, palette.size() - 1)];
      colors[i] = {c[0], c[1], c[2]};
    }
    ColorMapObject* map = GifMakeMapObject(256, colors);
    if (!map) throw Error(ErrorKind::Internal, path_ + ": out of memory for the GIF palette");
    const int status = EGifPutScreenDesc(gif_, width, height, 8, 0, map);
    GifFreeMapObject(map);
    check(status);
  }

  void loop_forever() {
    static const GifByteType kLoop[3] = {1, 0, 0};  // sub-block 1, repeat count 0 = forever
    check(EGifPutExtensionLeader(gif_, APPLICATION_EXT_FUNC_CODE));
    check(EGifPutExtensionBlock(gif_, 11, "NETSCAPE2.0"));
    check(EGifPutExtensionBlock(gif_, 3, kLoop));
    check(EGifPutExtensionTrailer(gif_));
  }

  void frame(int width, int height, int delay, const std::vector<GifByteType>& indices) {
    GraphicsControlBlock control{};
    control.DisposalMode = DISPOSE_DO_NOT;
    control.UserInputFlag = false;
    control.DelayTime = delay;
    control.TransparentColor = NO_TRANSPARENT_COLOR;
    GifByteType extension[4];
    const std::size_t length = EGifGCBToExtension(&control, extension);
    check(EGifPutExtension(gif_, GRAPHICS_EXT_FUNC_CODE, static_cast<int>(length), extension));
    check(EGifPutImageDesc(gif_, 0, 0, width, height, false, nullptr));
    for (int y = 0; y < height; ++y) {
      check(EGifPutLine(gif_, const_cast<GifByteType*>(indices.data()) + y * width, width));
    }
  }

  void close() {
    int error = 0;
    GifFileType* gif = gif_;
    gif_ = nullptr;
    if (EGifCloseFile(gif, &error) != GIF_OK) fail(error);
  }

 private:
  void check(int status) {
    if (status != GIF_OK) fail(gif_ ? gif_->Error : 0);
  }
  [[noreturn]] void fail(int error) {
    const char* text = GifErrorString(error);
    throw io_error(path_ + ": cannot write GIF (" + (text ? text : "unknown error") + ")");
  }

  std::string path_;
  GifFileType* gif_ = nullptr;
};

void map_frame(const Image& frame, NearestColor& nearest, bool dither,
               std::vector<GifByteType>& indices) {
  static const int kBayer[4][4] = {{0, 8, 2, 10}, {12, 4, 14, 6}, {3, 11, 1, 9}, {15, 7, 13, 5}};
  constexpr int kDitherAmplitude = 16;  // about one palette step in a 256-colour photo palette
  indices.resize(static_cast<std::size_t>(frame.width) * frame.height);
  for (int y = 0; y < frame.height; ++y) {
    const std::uint8_t* p = frame.row(y);
    GifByteType* out = indices.data() + static_cast<std::size_t>(y) * frame.width;
    for (int x = 0; x < frame.width; ++x, p += 3) {
      if (!dither) {
        out[x] = nearest(p[0], p[1], p[2]);
        continue;
      }
      const int offset =
          ((2 * kBayer[y & 3][x & 3] + 1) * kDitherAmplitude) / 32 - kDitherAmplitude / 2;
      auto shifted = [offset](int v) {
        return static_cast<std::uint8_t>(std::clamp(v + offset, 0, 255));
      };
      out[x] = nearest(shifted(p[0]), shifted(p[1]), shifted(p[2]));
    }
  }
}

}  // namespace

void write_gif(const Video& video, const std::string& path, const GifOptions& options) {
  if (video.empty()) throw usage_error(path + ": no frames to write");
  if (!std::isfinite(video.fps) || video.fps <= 0) {
    throw usage_error(path + ": invalid frame rate " + std::to_string(video.fps));
  }
  if (options.colors < 2 || options.colors > 256) {
    throw usage_error(path + ": GIF palettes hold 2 to 256 colours");
  }
  const int width = video.width();
  const int height = video.height();
  if (width <= 0 || height <= 0 || width > 65535 || height > 65535) {
    throw usage_error(path + ": GIF frames must be 1 to 65535 pixels wide and high");
  }
  std::vector<Image> frames;
  frames.reserve(video.frames.size());
  for (std::size_t i = 0; i < video.frames.size(); ++i) {
    const Image& frame = video.frames[i];
    if (frame.width != width || frame.height != height) {
      throw usage_error(path + ": frame " + std::to_string(i) + " differs in size from the first");
    }
    frames.push_back(to_rgb(frame));
  }

  const std::vector<Rgb> palette = median_cut_palette(sample_pixels(frames), options.colors);
  NearestColor nearest(palette);
  const int delay = delay_centiseconds(video.fps);
  const std::string temp = temp_sibling(path);
  try {
    GifFile gif(temp, path);
    gif.screen(width, height, palette);
    gif.loop_forever();
    std::vector<GifByteType> indices;
    for (const Image& frame : frames) {
      map_frame(frame, nearest, options.dither, indices);
      gif.frame(width, height, delay, indices);
    }
    gif.close();
  } catch (...) {
    discard_temp(temp);
    throw;
  }
  commit_temp(temp, path);
}

}  // namespace io

void write_gif(const Video& video, const std::string& path) {
  io::write_gif(video, path, io::GifOptions{});
}

}  // namespace atelier
