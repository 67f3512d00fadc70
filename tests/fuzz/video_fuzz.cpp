// Fuzz target: videos through FFmpeg (io/video_decoder.h), as read_video and probe_video read them.
#include <cstdint>

#include "atelier/error.h"
#include "atelier/video.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool quiet = (atelier::fuzz::quiet_logs(), true);
  (void)quiet;
  const atelier::fuzz::MemoryFile file(data, size);
  try {
    atelier::VideoReadOptions options;
    options.max_frames = 8;  // a few frames reach every decoding path; all would only be slower
    const atelier::Video video = atelier::read_video(file.path(), options);
    for (const atelier::Image& frame : video.frames)
      if (frame.width != video.width() || frame.height != video.height() || frame.channels != 3)
        __builtin_trap();  // read_video promises RGB frames of one size
  } catch (const atelier::Error&) {
  }
  return 0;
}
