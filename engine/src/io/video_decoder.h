// Frame-by-frame decoding of a video file with FFmpeg's own libraries (libavformat, libavcodec,
// libswscale). OpenCV's capture is not used for reading: it sizes its conversion buffer from the
// stream header once, so a stream that changes its picture size mid-way (crafted or spliced files)
// made it read and write past that buffer. Here every frame is converted into a buffer of its own
// size. FFmpeg's log lines go to spdlog's debug level instead of standard error.
#pragma once

#include <memory>
#include <opencv2/core.hpp>
#include <string>

namespace atelier::io {

class VideoDecoder {
 public:
  // Opens the file's best video stream; Error(BadInput) naming the file when it has none that
  // FFmpeg can decode.
  explicit VideoDecoder(const std::string& path);
  ~VideoDecoder();
  VideoDecoder(const VideoDecoder&) = delete;
  VideoDecoder& operator=(const VideoDecoder&) = delete;

  // The stream's frame rate, or 0 when the file gives none that is usable.
  double fps() const;

  // Decodes the next frame; false at the end of the stream. Damaged packets are skipped (logged);
  // a stream that keeps failing ends there. Error(BadInput) for a frame above 100 megapixels.
  bool next();
  // The last decoded frame as 8-bit BGR, turned upright when the file says it was filmed rotated.
  cv::Mat bgr() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace atelier::io
