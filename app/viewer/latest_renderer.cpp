#include "latest_renderer.h"

#include <chrono>
#include <exception>

#include "atelier/compute.h"

namespace atelier::viewer {
namespace {

RenderResult render(const RenderJob& job) {
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
  return result;
}

}  // namespace

void LatestRenderer::request(RenderJob job) {
  worker_.request([this, job = std::move(job)](std::uint64_t serial) {
    RenderResult result = render(job);
    std::lock_guard lock(mutex_);
    // A newer request came (or the model changed): this result is stale, drop it.
    if (worker_.is_latest(serial)) result_ = std::move(result);
  });
}

void LatestRenderer::cancel() {
  worker_.reset();
  std::lock_guard lock(mutex_);
  result_.reset();
}

std::optional<RenderResult> LatestRenderer::take_result() {
  std::lock_guard lock(mutex_);
  std::optional<RenderResult> result;
  result.swap(result_);
  return result;
}

}  // namespace atelier::viewer
