// LatestWorker, the latest-request-wins core of the studio's and the viewer's renderers: waiting
// interactive work is replaced by newer requests, background work waits for interactive work,
// serials tell a front end which result is still the newest, and work that throws does not end
// the thread.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include "atelier/latest_worker.h"

namespace atelier {
namespace {

void wait_until_idle(const LatestWorker& worker) {
  for (int i = 0; i < 10000 && worker.busy(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

TEST(LatestWorker, NewerRequestsReplaceWaitingOnesAndBackgroundWorkComesLast) {
  LatestWorker worker;
  std::mutex mutex;
  std::string order;
  auto log = [&](char c) {
    std::lock_guard<std::mutex> lock(mutex);
    order += c;
  };
  std::atomic<bool> started{false}, release{false};
  const std::uint64_t first = worker.request([&](std::uint64_t) {
    started = true;
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    log('a');
  });
  while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  worker.enqueue([&](std::uint64_t serial) { log(serial == 0 ? 'i' : '?'); });
  worker.request([&](std::uint64_t) { log('b'); });  // replaced before it runs
  std::uint64_t newest_seen = 0;
  const std::uint64_t newest = worker.request([&](std::uint64_t serial) {
    newest_seen = serial;
    log('c');
  });
  EXPECT_FALSE(worker.is_latest(first));  // the first request's result is now stale
  EXPECT_TRUE(worker.is_latest(newest));
  EXPECT_TRUE(worker.busy());
  release = true;
  wait_until_idle(worker);
  EXPECT_FALSE(worker.busy());
  EXPECT_EQ(order, "aci");  // b never ran; the icon waited for the interactive work
  EXPECT_EQ(newest_seen, newest);
}

TEST(LatestWorker, ResetForgetsWaitingWorkAndMakesTheRunningOneStale) {
  LatestWorker worker;
  std::atomic<bool> started{false}, release{false}, stale{false}, waiting_ran{false};
  worker.request([&](std::uint64_t serial) {
    started = true;
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    stale = !worker.is_latest(serial);
  });
  while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  worker.request([&](std::uint64_t) { waiting_ran = true; });
  worker.enqueue([&](std::uint64_t) { waiting_ran = true; });
  worker.reset();
  release = true;
  wait_until_idle(worker);
  EXPECT_TRUE(stale);
  EXPECT_FALSE(waiting_ran);
}

TEST(LatestWorker, WorkThatThrowsDoesNotEndTheThread) {
  LatestWorker worker;
  worker.request([](std::uint64_t) { throw std::runtime_error("careless"); });
  wait_until_idle(worker);
  std::atomic<bool> ran{false};
  worker.request([&](std::uint64_t) { ran = true; });
  wait_until_idle(worker);
  EXPECT_TRUE(ran);
}

}  // namespace
}  // namespace atelier
