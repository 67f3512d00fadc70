// Video decoding (FFmpeg, io/video_decoder.h) and MP4 export through OpenCV's FFmpeg backend.
// See atelier/video.h.
#include "atelier/video.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "atelier/error.h"
#include "atelier/file_checks.h"
#include "io/atomic_file.h"
#include "io/cv_image.h"
#include "io/memory_budget.h"
#include "io/video_decoder.h"

namespace fs = std::filesystem;

namespace atelier {
namespace {

constexpr double kDefaultFps = 25.0;
// Decoded frames live in memory; a request that would need more than this is refused with advice.
constexpr std::uint64_t kMaxDecodedBytes = 3ull << 30;

// Opens a video for reading; FIFOs and empty files are refused before FFmpeg sees them (a FIFO
// would keep it waiting forever).
io::VideoDecoder open_decoder(const std::string& path) {
  require_regular_file(path, "a video");
  std::error_code ec;
  if (fs::file_size(path, ec) == 0) throw bad_input(path + ": empty file");
  return io::VideoDecoder(path);
}

// The file's rate, or 0 when it is missing or absurd.
double usable_fps(const io::VideoDecoder& decoder) {
  const double fps = decoder.fps();
  return std::isfinite(fps) && fps > 0.0 && fps <= 1000.0 ? fps : 0.0;
}

cv::Size output_size(const cv::Size& source, const VideoReadOptions& options) {
  int width = options.width;
  int height = options.height;
  if (width <= 0 && height <= 0) return source;
  if (height <= 0)
    height = static_cast<int>(std::lround(double(source.height) * width / source.width));
  if (width <= 0)
    width = static_cast<int>(std::lround(double(source.width) * height / source.height));
  return cv::Size(std::max(1, width), std::max(1, height));
}

Image convert_frame(const cv::Mat& frame, const cv::Size& size) {
  if (frame.size() == size) return to_rgb(io::image_from_bgr(frame));
  cv::Mat resized;
  cv::resize(frame, resized, size, 0, 0,
             io::interpolation_for(frame.cols, frame.rows, size.width, size.height));
  return to_rgb(io::image_from_bgr(resized));
}

// Checks a video before encoding and returns its frames' size.
cv::Size check_writable(const Video& video, const std::string& path) {
  if (video.empty()) throw usage_error(path + ": no frames to write");
  if (!std::isfinite(video.fps) || video.fps <= 0) {
    throw usage_error(path + ": invalid frame rate " + std::to_string(video.fps));
  }
  const cv::Size size(video.width(), video.height());
  for (std::size_t i = 0; i < video.frames.size(); ++i) {
    const Image& frame = video.frames[i];
    if (frame.width != size.width || frame.height != size.height || frame.empty()) {
      throw usage_error(path + ": frame " + std::to_string(i) + " is " +
                        std::to_string(frame.width) + "x" + std::to_string(frame.height) +
                        ", the first is " + std::to_string(size.width) + "x" +
                        std::to_string(size.height));
    }
  }
  return size;
}

bool open_writer(cv::VideoWriter& writer, const std::string& temp, double fps, cv::Size size) {
  for (const char* codec : {"avc1", "mp4v"}) {
    const int fourcc = cv::VideoWriter::fourcc(codec[0], codec[1], codec[2], codec[3]);
    try {
      if (writer.open(temp, cv::CAP_FFMPEG, fourcc, fps, size, true) && writer.isOpened()) {
        spdlog::debug("{}: encoding with '{}'", temp, codec);
        return true;
      }
    } catch (const cv::Exception& e) {
      spdlog::debug("{}: codec '{}' unavailable ({})", temp, codec, e.what());
    }
    writer.release();
    io::discard_temp(temp);
  }
  return false;
}

}  // namespace

Video read_video(const std::string& path, const VideoReadOptions& options) {
  if (options.start < 0 || options.max_frames < 0 || options.width < 0 || options.height < 0 ||
      options.fps < 0) {
    throw usage_error(path + ": negative video read option");
  }
  io::VideoDecoder decoder = open_decoder(path);
  const double source_fps = usable_fps(decoder);
  const double fps = source_fps > 0 ? source_fps : kDefaultFps;
  // Keep frame i when the target clock has advanced by a whole frame since the last kept one.
  const double keep_ratio = options.fps > 0 && options.fps < fps ? options.fps / fps : 1.0;

  Video video;
  video.fps = fps * keep_ratio;
  cv::Size size;
  std::uint64_t bytes = 0;
  // The decoded frames stay in memory: at most 3 GB, and never more than half of what the
  // machine has (the job that reads them needs the rest).
  const std::uint64_t limit = std::min(kMaxDecodedBytes, memory_available_bytes() / 2);
  int kept = 0;  // frames that survived subsampling, including those before `start`
  for (int index = 0;; ++index) {
    if (options.max_frames > 0 && static_cast<int>(video.frames.size()) >= options.max_frames) {
      break;
    }
    if (!decoder.next()) break;
    if (std::floor(index * keep_ratio + 1e-9) < kept) continue;  // dropped by subsampling
    if (kept++ < options.start) continue;
    const cv::Mat frame = decoder.bgr();
    // A stream may change its picture size on the way: every frame takes the first one's.
    if (video.frames.empty()) size = output_size(frame.size(), options);
    bytes += static_cast<std::uint64_t>(size.area()) * 3;
    if (bytes > limit) {
      throw bad_input(path + ": its frames take more than " + bytes_text(double(limit)) +
                      " once decoded (" + std::to_string(video.frames.size()) + " frames of " +
                      std::to_string(size.width) + "x" + std::to_string(size.height) +
                      "); read fewer frames, a lower frame rate or a smaller size");
    }
    video.frames.push_back(convert_frame(frame, size));
  }
  if (video.frames.empty()) {
    if (kept > options.start || options.start == 0) {
      throw bad_input(path + ": no decodable video frames");
    }
    throw bad_input(path + ": the video has only " + std::to_string(kept) +
                    " frames, fewer than start = " + std::to_string(options.start));
  }
  return video;
}

VideoInfo probe_video(const std::string& path) {
  io::VideoDecoder decoder = open_decoder(path);
  VideoInfo info;
  info.fps = usable_fps(decoder);
  while (decoder.next()) {
    if (info.frame_count++ == 0) {
      const cv::Mat frame = decoder.bgr();
      info.width = frame.cols;
      info.height = frame.rows;
    }
  }
  if (info.frame_count == 0) throw bad_input(path + ": no decodable video frames");
  return info;
}

void write_mp4(const Video& video, const std::string& path) {
  const cv::Size size = check_writable(video, path);
  // 4:2:0 encoders need even sizes: odd frames gain one replicated column or row.
  const cv::Size even(size.width + size.width % 2, size.height + size.height % 2);
  const std::string temp = io::temp_sibling(path);
  cv::VideoWriter writer;
  if (!open_writer(writer, temp, video.fps, even)) {
    throw io_error(path + ": cannot write MP4 (no H.264 or MPEG-4 encoder could be opened)");
  }
  try {
    cv::Mat padded;
    for (const Image& frame : video.frames) {
      cv::Mat bgr = io::bgr_from_image(to_rgb(frame));
      if (even != size) {
        cv::copyMakeBorder(bgr, padded, 0, even.height - size.height, 0, even.width - size.width,
                           cv::BORDER_REPLICATE);
        bgr = padded;
      }
      writer.write(bgr);
    }
    writer.release();
  } catch (const cv::Exception& e) {
    writer.release();
    io::discard_temp(temp);
    throw io_error(path + ": writing the video failed (" + e.what() + ")");
  }
  std::error_code ec;
  if (fs::file_size(temp, ec) == 0 || ec) {
    io::discard_temp(temp);
    throw io_error(path + ": the encoder produced no data");
  }
  io::commit_temp(temp, path);
}

void write_video(const Video& video, const std::string& path) {
  const std::string ext = io::lower_extension(path);
  if (ext == ".mp4") return write_mp4(video, path);
  if (ext == ".gif") return write_gif(video, path);
  throw usage_error(path + ": cannot write videos as '" + ext + "' (use .mp4 or .gif)");
}

bool is_video_file_name(const std::string& path) {
  const std::string ext = io::lower_extension(path);
  for (const char* known : {".mp4", ".avi", ".mov", ".mkv", ".mpg", ".mpeg", ".webm", ".gif"}) {
    if (ext == known) return true;
  }
  return false;
}

}  // namespace atelier
