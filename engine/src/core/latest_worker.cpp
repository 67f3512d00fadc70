#include "atelier/latest_worker.h"

#include <utility>

namespace atelier {

LatestWorker::LatestWorker() : thread_([this] { loop(); }) {}

LatestWorker::~LatestWorker() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    quit_ = true;
    latest_.reset();
    background_.clear();
  }
  wake_.notify_all();
  thread_.join();
}

std::uint64_t LatestWorker::request(Work work) {
  std::lock_guard<std::mutex> lock(mutex_);
  latest_ = std::move(work);
  latest_serial_ = ++serial_;
  wake_.notify_all();
  return latest_serial_;
}

void LatestWorker::enqueue(Work work) {
  std::lock_guard<std::mutex> lock(mutex_);
  background_.push_back(std::move(work));
  wake_.notify_all();
}

void LatestWorker::reset() {
  std::lock_guard<std::mutex> lock(mutex_);
  latest_.reset();
  background_.clear();
  ++serial_;
}

bool LatestWorker::is_latest(std::uint64_t serial) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return serial == serial_;
}

bool LatestWorker::busy() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return running_ || latest_.has_value() || !background_.empty();
}

void LatestWorker::loop() {
  for (;;) {
    Work work;
    std::uint64_t serial = 0;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return quit_ || latest_ || !background_.empty(); });
      if (quit_) return;
      if (latest_) {
        work = std::move(*latest_);
        latest_.reset();
        serial = latest_serial_;
      } else {
        work = std::move(background_.front());
        background_.pop_front();
      }
      running_ = true;
    }
    try {
      work(serial);
    } catch (...) {  // work reports its own errors; the thread must outlive a careless one
    }
    std::lock_guard<std::mutex> lock(mutex_);
    running_ = false;
  }
}

}  // namespace atelier
