// atelier/video.h — frame sequences, their decoding and MP4 / animated GIF export.
#pragma once

#include <string>
#include <vector>

#include "atelier/image.h"

namespace atelier {

struct Video {
  std::vector<Image> frames;  // all RGB, all the same size
  double fps = 25.0;

  bool empty() const { return frames.empty(); }
  int width() const { return frames.empty() ? 0 : frames.front().width; }
  int height() const { return frames.empty() ? 0 : frames.front().height; }
};

struct VideoReadOptions {
  int start = 0;       // first frame to keep (after fps subsampling)
  int max_frames = 0;  // 0: all frames from start on
  int width = 0;       // resize to this width; 0 keeps the size (or follows height's aspect)
  int height = 0;      // 0 with width > 0: keep the aspect ratio
  double fps = 0;      // > 0: subsample to at most this rate (never duplicates frames)
};

// Decodes frames by reading them: the header's frame count and rate are not trusted for the count.
// Throws Error(BadInput) naming the file for an unreadable file or one with no frames.
Video read_video(const std::string& path, const VideoReadOptions& options = {});

struct VideoInfo {
  int width = 0;
  int height = 0;
  double fps = 0;      // as the container says (0 when it says nothing usable)
  int frame_count = 0; // counted by decoding every frame
};
VideoInfo probe_video(const std::string& path);

// MP4 (H.264 or MPEG-4 Part 2, whichever OpenCV's FFmpeg offers) at video.fps. Temp file + rename.
void write_mp4(const Video& video, const std::string& path);
// Animated GIF with one global palette built from all frames (median cut), looping forever.
void write_gif(const Video& video, const std::string& path);
// By extension: .mp4 / .gif (others: Error(Usage)).
void write_video(const Video& video, const std::string& path);

bool is_video_file_name(const std::string& path);  // mp4 avi mov mkv mpg mpeg webm gif

}  // namespace atelier
