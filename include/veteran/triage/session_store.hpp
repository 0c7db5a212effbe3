// veteran/triage/session_store.hpp — many conversations in bounded memory.
//
// A host (or the CLI's `assess --jsonl`) that triages many conversations
// keeps one `session` per conversation id. Kept in a plain map, sessions of
// conversations that ended are never freed: a million ids cost about 800 MB.
// A session_store bounds that: it holds at most `max_sessions` sessions, and a
// session not used for `idle_ms` is dropped (its conversation starts afresh if
// it comes back). When the store is full, the least recently used session is
// dropped to make room.
//
// Trade-off, stated plainly: a dropped session forgets the trajectory of its
// conversation (repeated ideation, escalation over turns). Size the store for
// the number of conversations live at once, and the idle time for the longest
// pause within one conversation; `evicted_full()` counts sessions dropped
// while still fresh, so a host can see when the store is too small.
//
// Ownership: the store owns its sessions. A reference returned by get() stays
// valid until the next call to get() or erase() on the same store.
// Thread safety: none; use one store per thread, or guard it with a mutex.
// Errors: the constructor throws veteran::error (invalid_argument) for
// max_sessions == 0 or a negative idle time.
#pragma once

#include <cstddef>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

#include "veteran/triage/session.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage {

struct session_store_options {
  std::size_t max_sessions = 100000;       ///< sessions kept at once (> 0)
  timestamp_ms idle_ms = 60LL * 60 * 1000; ///< drop after this long unused (>= 0)
  std::size_t max_turns = session::default_max_turns;  ///< for new sessions
  timestamp_ms memory_ms = session::default_memory_ms; ///< for new sessions
};

class session_store {
public:
  explicit session_store(session_store_options options = {});

  /// The session of conversation `id` at time `now` (ms since the epoch),
  /// created empty if absent or expired. Sessions idle for more than idle_ms
  /// before `now` are dropped first; if the store is full, the least recently
  /// used session is dropped. Never fails except std::bad_alloc.
  [[nodiscard]] session &get(std::string_view id, timestamp_ms now);

  /// Drops the session of `id`; false if there was none.
  bool erase(std::string_view id);

  [[nodiscard]] std::size_t size() const noexcept { return index_.size(); }
  [[nodiscard]] bool contains(std::string_view id) const;
  [[nodiscard]] const session_store_options &options() const noexcept { return options_; }
  /// Sessions dropped because they were idle too long.
  [[nodiscard]] std::size_t expired_idle() const noexcept { return expired_idle_; }
  /// Sessions dropped, while not idle, because the store was full.
  [[nodiscard]] std::size_t evicted_full() const noexcept { return evicted_full_; }

private:
  struct entry {
    std::string id;
    session s;
    timestamp_ms last_used;
  };
  using list_type = std::list<entry>; // most recently used first
  void expire_idle(timestamp_ms now);

  session_store_options options_;
  list_type lru_;
  std::unordered_map<std::string_view, list_type::iterator> index_; // keys view lru_ ids
  std::size_t expired_idle_ = 0;
  std::size_t evicted_full_ = 0;
};

} // namespace triage
VETERAN_NAMESPACE_END
