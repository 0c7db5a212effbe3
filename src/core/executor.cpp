// The bounded thread pool: see veteran/executor.hpp.
#include "veteran/executor.hpp"

VETERAN_NAMESPACE_BEGIN

thread_pool::thread_pool(thread_pool_options options) : options_(options) {
  if (options_.threads == 0)
    throw veteran::error(errc::invalid_argument, "thread_pool: threads must be >= 1");
  workers_.reserve(options_.threads);
  for (std::size_t i = 0; i < options_.threads; ++i)
    workers_.emplace_back([this] { work(); });
}

thread_pool::~thread_pool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto &w : workers_)
    w.join();
}

bool thread_pool::try_submit(std::function<void()> task) noexcept {
  try {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      const bool worker_free = running_ + queue_.size() < options_.threads;
      if (stopping_ || (!worker_free && queue_.size() >= options_.max_queued))
        return false;
      queue_.push_back(std::move(task));
    }
    wake_.notify_one();
    return true;
  } catch (...) {
    return false; // could not queue (out of memory): refused, as documented
  }
}

std::size_t thread_pool::pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return running_ + queue_.size();
}

void thread_pool::work() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return; // stopping, and nothing left to do
    auto task = std::move(queue_.front());
    queue_.pop_front();
    ++running_;
    lock.unlock();
    try {
      task();
    } catch (...) {
      // Contained: a host task's failure must not end the worker.
    }
    task = nullptr; // release what the task captured outside the lock
    lock.lock();
    --running_;
  }
}

VETERAN_NAMESPACE_END
