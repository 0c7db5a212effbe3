// Test helper: a gate that threads wait at until the test opens it, so a
// test can hold work "in progress" for as long as it needs without sleeping
// (no test may depend on how fast a busy machine runs).
#pragma once

#include <condition_variable>
#include <mutex>

namespace test_util {

class gate {
public:
  /// Counts the caller as arrived, then blocks until open().
  void arrive_and_wait() {
    std::unique_lock<std::mutex> lock(m_);
    ++arrived_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return open_; });
  }
  /// Blocks until `n` callers have arrived.
  void wait_for_arrivals(int n) {
    std::unique_lock<std::mutex> lock(m_);
    cv_.wait(lock, [&] { return arrived_ >= n; });
  }
  void open() {
    std::lock_guard<std::mutex> lock(m_);
    open_ = true;
    cv_.notify_all();
  }

private:
  std::mutex m_;
  std::condition_variable cv_;
  int arrived_ = 0;
  bool open_ = false;
};

} // namespace test_util
