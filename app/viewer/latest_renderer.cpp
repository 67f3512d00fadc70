#include "latest_renderer.h"

#include <chrono>
#include <exception>

#include "atelier/compute.h"

namespace atelier::viewer {

LatestRenderer::LatestRenderer() : thread_([this] { loop(); }) {}

LatestRenderer::~LatestRenderer() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void LatestRenderer::request(RenderJob job) {
  {
    std::lock_guard lock(mutex_);
    pending_ = std::move(job);
    ++serial_;
  }
  wake_.notify_one();
}

void LatestRenderer::cancel() {
  std::lock_guard lock(mutex_);
  pending_.reset();
  result_.reset();
  ++serial_;
}

std::optional<RenderResult> LatestRenderer::take_result() {
  std::lock_guard lock(mutex_);
  std::optional<RenderResult> result;
  result.swap(result_);
  return result;
}

bool LatestRenderer::busy() const {
  std::lock_guard lock(mutex_);
  return rendering_ || pending_.has_value();
}

void LatestRenderer::loop() {
  for (;;) {
    RenderJob job;
    std::uint64_t serial = 0;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return quit_ || pending_.has_value(); });
      if (quit_) return;
      job = std::move(*pending_);
      pending_.reset();
      serial = serial_;
      rendering_ = true;
    }
    RenderResult result;
    const auto start = std::chrono::steady_clock::now();
    // Engine errors (atelier::Error is a std::exception) come back as text, never as a crash.
    try {
      adapt_threads();  // the engine's thread setting, following the machine's load
      result.picture = job();
      if (result.picture.frames.empty()) result.error = "the model drew nothing";
    } catch (const Error& e) {
      result.error = e.what();
      result.error_kind = e.kind();
    } catch (const std::exception& e) {
      result.error = e.what();
    } catch (...) {
      result.error = "unknown error while rendering";
    }
    result.milliseconds =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    std::lock_guard lock(mutex_);
    rendering_ = false;
    // A newer request came (or the model changed): this result is stale, drop it.
    if (serial == serial_) result_ = std::move(result);
  }
}

}  // namespace atelier::viewer
