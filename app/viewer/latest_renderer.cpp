#include "latest_renderer.h"

#include <chrono>
#include <exception>

#include "atelier/compute.h"

namespace atelier::viewer {

LatestRenderer::LatestRenderer(RenderFunction render)
    : render_(std::move(render)), thread_([this] { loop(); }) {}

LatestRenderer::~LatestRenderer() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void LatestRenderer::request(const RenderRequest& request) {
  {
    std::lock_guard lock(mutex_);
    if (last_requested_ && *last_requested_ == request) return;
    last_requested_ = request;
    pending_ = request;
  }
  wake_.notify_one();
}

std::optional<RenderResult> LatestRenderer::take_result() {
  std::lock_guard lock(mutex_);
  std::optional<RenderResult> result;
  result.swap(result_);
  return result;
}

void LatestRenderer::loop() {
  for (;;) {
    RenderRequest request;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return quit_ || pending_.has_value(); });
      if (quit_) return;
      request = *pending_;
      pending_.reset();
    }
    RenderResult result;
    result.request = request;
    const auto start = std::chrono::steady_clock::now();
    try {
      adapt_threads();  // the engine's thread setting, following the machine's load
      result.image = render_(request);
    } catch (const std::exception& e) {
      result.error = e.what();
    }
    result.milliseconds =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    std::lock_guard lock(mutex_);
    // A newer request is waiting: this result is stale, drop it.
    if (!pending_) result_ = std::move(result);
  }
}

}  // namespace atelier::viewer
