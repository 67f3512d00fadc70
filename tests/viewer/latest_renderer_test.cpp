// The viewer's LatestRenderer: the latest request wins, an overtaken or cancelled result is
// dropped, and a failing render comes back as a message with its kind, never as a crash.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "latest_renderer.h"

using atelier::Image;
using atelier::viewer::LatestRenderer;
using atelier::viewer::Picture;
using atelier::viewer::RenderResult;
using atelier::viewer::still_picture;

namespace {

Picture grey(int value) {
  return still_picture(Image(2, 2, 3, static_cast<std::uint8_t>(value)));
}

// Waits (up to 10 s) until the renderer has nothing left to do, then takes its result.
std::optional<RenderResult> settle(LatestRenderer& renderer) {
  for (int i = 0; i < 10000 && renderer.busy(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return renderer.take_result();
}

TEST(LatestRenderer, TheNewestRequestWinsAndOvertakenResultsAreDropped) {
  LatestRenderer renderer;
  std::atomic<bool> started{false}, release{false};
  std::atomic<int> ran{0};
  renderer.request([&] {
    started = true;
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ++ran;
    return grey(10);
  });
  while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  renderer.request([&] {
    ++ran;
    return grey(20);
  });
  renderer.request([&] {  // replaces the one above before it ran
    ++ran;
    return grey(30);
  });
  release = true;
  const auto result = settle(renderer);
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->error.empty()) << result->error;
  EXPECT_EQ(result->picture.frames.at(0).pixels.at(0), 30);  // the first picture was dropped
  EXPECT_EQ(ran.load(), 2);
  EXPECT_FALSE(renderer.take_result());  // each result once
}

TEST(LatestRenderer, CancelDropsTheRenderInProgress) {
  LatestRenderer renderer;
  std::atomic<bool> started{false}, release{false};
  renderer.request([&] {
    started = true;
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return grey(10);
  });
  while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  renderer.cancel();  // e.g. another model was opened
  release = true;
  EXPECT_FALSE(settle(renderer));
}

TEST(LatestRenderer, FailuresComeBackAsMessagesWithTheirKind) {
  LatestRenderer renderer;
  renderer.request([]() -> Picture { throw atelier::usage_error("size 3x3: too small"); });
  auto result = settle(renderer);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->error, "size 3x3: too small");
  EXPECT_EQ(result->error_kind, atelier::ErrorKind::Usage);

  renderer.request([]() -> Picture { throw std::runtime_error("out of memory"); });
  result = settle(renderer);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->error, "out of memory");
  EXPECT_EQ(result->error_kind, atelier::ErrorKind::Internal);

  renderer.request([] { return Picture(); });
  result = settle(renderer);
  ASSERT_TRUE(result);
  EXPECT_FALSE(result->error.empty());  // nothing drawn is an error, not an empty window
}

}  // namespace
