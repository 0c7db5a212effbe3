// veteran/clock.hpp — time as the SDK sees it: milliseconds since the Unix
// epoch, from a clock the host can replace.
//
// Nothing in the SDK that decides by time (session memory, timers, replay
// windows, retries) reads the system clock behind the host's back: each takes
// a `timestamp_ms` argument or a `clock`, so hosts and tests control time.
//
// Thread safety: every clock here may be read from any number of threads;
// manual_clock may also be moved from any thread.
#pragma once

#include <atomic>
#include <cstdint>

#include "veteran/version.hpp"

VETERAN_NAMESPACE_BEGIN

/// Milliseconds since 1970-01-01T00:00:00Z (UTC).
using timestamp_ms = std::int64_t;

/// The system's wall clock, now. Never fails.
[[nodiscard]] timestamp_ms system_now() noexcept;

/// A source of the current time.
class clock {
public:
  virtual ~clock() = default;
  [[nodiscard]] virtual timestamp_ms now() const noexcept = 0;
};

/// The system's wall clock.
class system_clock final : public clock {
public:
  [[nodiscard]] timestamp_ms now() const noexcept override { return system_now(); }
};

/// A clock that moves only when told: for tests and simulations.
class manual_clock final : public clock {
public:
  explicit manual_clock(timestamp_ms start = 0) noexcept : now_(start) {}
  [[nodiscard]] timestamp_ms now() const noexcept override { return now_.load(); }
  void set(timestamp_ms t) noexcept { now_.store(t); }
  void advance(timestamp_ms ms) noexcept { now_.fetch_add(ms); }

private:
  std::atomic<timestamp_ms> now_;
};

VETERAN_NAMESPACE_END
