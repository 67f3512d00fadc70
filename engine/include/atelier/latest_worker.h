// atelier/latest_worker.h — one background thread for interactive work where the latest request
// wins: the core of the studio's preview renderer and of atelier-viewer's renderer.
//
// request() replaces the interactive work still waiting (only the newest matters to a slider);
// enqueue() adds background work (thumbnails, history) that runs, first in first out, only while
// no interactive work waits. Every request gets a serial number, which the work receives; a front
// end delivers a result only while is_latest(serial), so a picture overtaken by a newer request
// (or by reset()) is never shown. Work runs on the worker's thread and must own (copy) what it
// reads; it should catch its own errors (anything that escapes is dropped, the thread goes on).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace atelier {

class LatestWorker {
 public:
  // Receives its request's serial number; 0 for background work.
  using Work = std::function<void(std::uint64_t serial)>;

  LatestWorker();
  ~LatestWorker();  // finishes the work in progress, drops the rest
  LatestWorker(const LatestWorker&) = delete;
  LatestWorker& operator=(const LatestWorker&) = delete;

  // Interactive work, replacing the interactive work still waiting; returns its serial.
  std::uint64_t request(Work work);
  // Background work, after interactive work.
  void enqueue(Work work);
  // Forgets all waiting work; the work running now becomes stale.
  void reset();
  // Whether `serial` is still the newest request (no request or reset came after it).
  bool is_latest(std::uint64_t serial) const;
  // Work waits or runs.
  bool busy() const;

 private:
  void loop();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<Work> latest_;
  std::uint64_t latest_serial_ = 0;
  std::deque<Work> background_;
  std::uint64_t serial_ = 0;  // of the newest request or reset
  bool running_ = false;
  bool quit_ = false;
  std::thread thread_;  // last: it starts once everything above exists
};

}  // namespace atelier
