// One background thread that renders jobs in order of arrival, keeping only the newest: while it
// works, a newer request replaces the waiting one, and a result whose request is no longer the
// newest is dropped. The interactive loop never waits on the engine.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "atelier/error.h"
#include "atelier/image.h"

namespace atelier::viewer {

// What a model draws: one image, or the frames of a clip played at `fps`; masktransfer adds the
// mask of the area it changed.
struct Picture {
  std::vector<Image> frames;
  double fps = 0;
  Image mask;                 // RGB grey, the frames' size; empty when the model has none
  std::vector<Image> inputs;  // the pictures it was drawn from (shown small beside it)
};

inline Picture still_picture(Image image) {
  Picture picture;
  picture.frames.push_back(std::move(image));
  return picture;
}

// Runs on the renderer's thread: it must own (copy) everything it reads.
using RenderJob = std::function<Picture()>;

struct RenderResult {
  Picture picture;
  double milliseconds = 0;
  std::string error;                           // non-empty when rendering failed
  ErrorKind error_kind = ErrorKind::Internal;  // of an atelier::Error; Internal for others
};

class LatestRenderer {
 public:
  LatestRenderer();
  ~LatestRenderer();  // finishes the render in progress, drops the rest

  void request(RenderJob job);  // replaces the waiting request, if any
  void cancel();  // forgets the waiting request; the one rendering now arrives stale (dropped)
  std::optional<RenderResult> take_result();  // the newest finished result, once
  bool busy() const;                          // a request waits or renders

 private:
  void loop();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<RenderJob> pending_;
  std::optional<RenderResult> result_;
  std::uint64_t serial_ = 0;  // the newest request's (or cancel's) number
  bool rendering_ = false;
  bool quit_ = false;
  std::thread thread_;
};

}  // namespace atelier::viewer
