// veteran/executor.hpp — where the SDK runs work off the caller's thread.
//
// The triage classifier hook (and, later, the relay and webhook delivery)
// run host code that may be slow. They never start threads of their own per
// call: they hand tasks to an `executor`, which is bounded, so a slow or hung
// host function can never make threads pile up. A host with its own thread
// pool or event loop implements `executor`; otherwise `thread_pool` is used.
//
// Thread safety: try_submit() may be called from any number of threads.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "veteran/error.hpp"

VETERAN_NAMESPACE_BEGIN

/// Runs tasks on other threads.
class executor {
public:
  virtual ~executor() = default;
  /// Queues `task` and returns true, or returns false at once (task not run
  /// and destroyed) when the executor is saturated or stopping. Must never
  /// block the caller and never run the task on the caller's thread.
  [[nodiscard]] virtual bool try_submit(std::function<void()> task) noexcept = 0;
};

struct thread_pool_options {
  std::size_t threads = 2;     ///< worker threads (>= 1)
  std::size_t max_queued = 16; ///< tasks waiting for a worker (>= 0)
};

/// A fixed set of worker threads with a bounded queue: at most `threads`
/// tasks run at once and at most `max_queued` wait; beyond that try_submit()
/// refuses. A task that throws is contained (the exception is dropped).
/// The destructor stops accepting tasks, lets running and queued tasks finish
/// and joins the workers: a task that never returns blocks it.
class thread_pool final : public executor {
public:
  /// Errors (thrown as veteran::error): invalid_argument for threads == 0.
  explicit thread_pool(thread_pool_options options = {});
  ~thread_pool() override;
  thread_pool(const thread_pool &) = delete;
  thread_pool &operator=(const thread_pool &) = delete;

  [[nodiscard]] bool try_submit(std::function<void()> task) noexcept override;
  /// Tasks accepted and not yet finished (running or queued).
  [[nodiscard]] std::size_t pending() const;

private:
  void work();

  thread_pool_options options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

VETERAN_NAMESPACE_END
