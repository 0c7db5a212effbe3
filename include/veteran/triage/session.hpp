// veteran/triage/session.hpp — conversation state for trajectory rules.
//
// A `session` remembers a bounded number of recent turns of one conversation
// (level, categories, time) so the engine can see repeated ideation,
// escalation over turns, a method introduced after ideation, a sudden drop
// after a crisis, and finality after burden. Memory is bounded (max_turns)
// and decays with time (turns older than `memory` are forgotten).
//
// Ownership: the host owns sessions; the engine only reads/updates the one
// passed to assess(). Thread safety: a session is NOT thread-safe; use one
// session per conversation from one thread at a time.
// Persistence: to_json()/from_json() save and restore the full state so a
// host can keep it across restarts (format versioned; unknown versions are
// errc::unsupported_version, malformed input errc::parse_error).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

#include "veteran/clock.hpp"
#include "veteran/error.hpp"
#include "veteran/triage/assessment.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage {

/// Milliseconds since the Unix epoch (veteran/clock.hpp).
using veteran::timestamp_ms;

/// One remembered turn.
struct turn_record {
  timestamp_ms at = 0;
  level lvl = level::none;       ///< level of the turn (after session rules)
  level own = level::none;       ///< level from the message alone
  std::uint32_t categories = 0;  ///< bit i set when category i was an active self trigger
  std::uint32_t multipliers = 0; ///< bit i set when multiplier kind i was found
};

class session {
public:
  static constexpr std::size_t default_max_turns = 32;
  static constexpr timestamp_ms default_memory_ms = 24LL * 3600 * 1000;

  explicit session(std::size_t max_turns = default_max_turns,
                   timestamp_ms memory_ms = default_memory_ms);

  /// Recent turns, oldest first.
  [[nodiscard]] const std::deque<turn_record> &turns() const noexcept { return turns_; }
  [[nodiscard]] std::size_t max_turns() const noexcept { return max_turns_; }
  [[nodiscard]] timestamp_ms memory_ms() const noexcept { return memory_ms_; }

  /// Forgets every turn (the conversation starts afresh).
  void clear() noexcept { turns_.clear(); }

  /// JSON: {"v":1,"max_turns":N,"memory_ms":N,"turns":[{"at":..,"level":"high",
  /// "own":"medium","categories":N,"multipliers":N}, ...]}
  [[nodiscard]] std::string to_json() const;
  [[nodiscard]] static result<session> from_json(std::string_view json);

private:
  friend class engine; // the only writer of turns
  /// Drops turns recorded before `cutoff` (the engine passes now - memory_ms).
  void forget_before(timestamp_ms cutoff);
  /// Appends a turn, evicting the oldest beyond max_turns.
  void record(const turn_record &t);

  std::deque<turn_record> turns_;
  std::size_t max_turns_;
  timestamp_ms memory_ms_;
};

} // namespace triage
VETERAN_NAMESPACE_END
