// One background thread that renders jobs, keeping only the newest: while it works, a newer
// request replaces the waiting one, and a result whose request is no longer the newest is
// dropped. The interactive loop never waits on the engine. The viewer's face of the engine's
// LatestWorker, the same core as the studio's preview renderer.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "atelier/error.h"
#include "atelier/image.h"
#include "atelier/latest_worker.h"

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
  void request(RenderJob job);  // replaces the waiting request, if any
  void cancel();  // forgets the waiting request; the one rendering now arrives stale (dropped)
  std::optional<RenderResult> take_result();    // the newest finished result, once
  bool busy() const { return worker_.busy(); }  // a request waits or renders

 private:
  std::mutex mutex_;  // guards result_
  std::optional<RenderResult> result_;
  LatestWorker worker_;  // last: its thread stops before the rest goes
};

}  // namespace atelier::viewer
