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
#include <vector>

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
  /// What this turn itself established: its message level raised by the
  /// patterns it completed. It carries into later turns and fades with time
  /// and turns (never the carried level of earlier turns, so nothing carries
  /// itself forever).
  level lvl = level::none;
  level own = level::none;       ///< level from the message alone (rules and model)
  std::uint32_t categories = 0;  ///< bit i set when category i was an active self trigger
  std::uint32_t multipliers = 0; ///< bit i set when multiplier kind i was found
  std::uint64_t seq = 0;         ///< the turn's number in the session (from 1)
  bool timed = true;             ///< `at` came from the host (false: turn order only)
  level conversation = level::none; ///< the conversation level after this turn
  std::vector<conversation_pattern> patterns; ///< patterns this turn completed
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
  void clear() noexcept {
    turns_.clear();
    next_seq_ = 1;
  }
  /// The number the next turn will get.
  [[nodiscard]] std::uint64_t next_turn() const noexcept { return next_seq_; }

  /// JSON: {"v":2,"max_turns":N,"memory_ms":N,"next_turn":N,"turns":[{"at":..,
  /// "level":"high","own":"medium","categories":N,"multipliers":N,"turn":N,
  /// "timed":true,"conversation":"high","patterns":[{"name":..,"turns":[..]}]},
  /// ...]}. Version 1 (without the conversation members) still loads.
  [[nodiscard]] std::string to_json() const;
  [[nodiscard]] static result<session> from_json(std::string_view json);

private:
  friend class engine; // the only writer of turns
  /// Drops turns recorded before `cutoff` (the engine passes now - memory_ms).
  void forget_before(timestamp_ms cutoff);
  /// Appends a turn, evicting the oldest beyond max_turns.
  void record(turn_record t);

  std::deque<turn_record> turns_;
  std::uint64_t next_seq_ = 1;
  std::size_t max_turns_;
  timestamp_ms memory_ms_;
};

} // namespace triage
VETERAN_NAMESPACE_END
