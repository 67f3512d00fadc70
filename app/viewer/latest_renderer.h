// One background thread that renders requests in order of arrival, keeping only the newest:
// while it works, newer requests replace the waiting one, and a result whose request is no longer
// the newest is dropped. The interactive loop never waits on the engine.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "atelier/image.h"

namespace atelier::viewer {

// What to draw: a value type compared for "unchanged" skips.
struct RenderRequest {
  std::uint64_t seed_a = 0;
  std::uint64_t seed_b = 1;
  float t = 0;           // interpolation between the two seeds
  int start_scale = 0;
  int width = 0;         // 0: training size
  int height = 0;
  bool operator==(const RenderRequest& o) const {
    return seed_a == o.seed_a && seed_b == o.seed_b && t == o.t && start_scale == o.start_scale &&
           width == o.width && height == o.height;
  }
};

struct RenderResult {
  RenderRequest request;
  Image image;
  double milliseconds = 0;
  std::string error;  // non-empty when rendering failed
};

class LatestRenderer {
 public:
  using RenderFunction = std::function<Image(const RenderRequest&)>;
  explicit LatestRenderer(RenderFunction render);
  ~LatestRenderer();

  void request(const RenderRequest& request);  // unchanged requests are skipped
  std::optional<RenderResult> take_result();   // the newest finished result, once

 private:
  void loop();

  RenderFunction render_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<RenderRequest> pending_;
  std::optional<RenderRequest> last_requested_;
  std::optional<RenderResult> result_;
  bool quit_ = false;
  std::thread thread_;
};

}  // namespace atelier::viewer
