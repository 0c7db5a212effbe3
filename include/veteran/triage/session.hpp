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

/// The turns a session remembers, oldest first: a read-only view, valid until
/// the session is next changed. Stored in one ring so that a turn costs no
/// allocation once the session is full and the turns the engine reads each
/// time (oldest, newest, notable) sit in as few cache lines as possible.
class recent_turns {
public:
  [[nodiscard]] std::size_t size() const noexcept { return count_; }
  [[nodiscard]] bool empty() const noexcept { return count_ == 0; }
  /// The i-th remembered turn, oldest first (i < size()).
  [[nodiscard]] const turn_record &operator[](std::size_t i) const noexcept {
    return slots_[slot(i)];
  }
  [[nodiscard]] const turn_record &front() const noexcept { return (*this)[0]; }
  [[nodiscard]] const turn_record &back() const noexcept { return (*this)[count_ - 1]; }

  class iterator {
  public:
    iterator(const recent_turns *r, std::size_t i) : r_(r), i_(i) {}
    const turn_record &operator*() const noexcept { return (*r_)[i_]; }
    iterator &operator++() noexcept {
      ++i_;
      return *this;
    }
    bool operator!=(const iterator &o) const noexcept { return i_ != o.i_; }

  private:
    const recent_turns *r_;
    std::size_t i_;
  };
  [[nodiscard]] iterator begin() const noexcept { return {this, 0}; }
  [[nodiscard]] iterator end() const noexcept { return {this, count_}; }

  /// Calls `visit(const turn_record &t, std::size_t turns_after)` for each
  /// turn that carries anything (a level, categories or patterns), oldest
  /// first, where `turns_after` counts the turns remembered after it. Benign
  /// turns are skipped without being read, so the cost follows the turns
  /// that matter, not the length of the conversation.
  template <class Visit> void for_each_notable(Visit &&visit) const {
    for (const auto position : notable_) {
      const auto i = static_cast<std::size_t>(position - dropped_);
      visit((*this)[i], count_ - 1 - i);
    }
  }

  /// Asks the CPU to fetch the turns the session rules will read (oldest,
  /// newest two, notable) while the message is still being matched: in a host
  /// serving many conversations they are rarely in cache. A hint only.
  void prefetch() const noexcept {
    if (count_ == 0) return;
    hint(0);
    hint(count_ - 1);
    if (count_ > 1) hint(count_ - 2);
    for (const auto position : notable_)
      hint(static_cast<std::size_t>(position - dropped_));
  }

private:
  friend class session;
  std::size_t slot(std::size_t i) const noexcept {
    const std::size_t s = head_ + i;
    return s < slots_.size() ? s : s - slots_.size();
  }
  /// Prefetches the i-th turn. The address goes through a volatile because
  /// GCC 12 drops a prefetch whose address is chosen by a condition (as
  /// slot() does when the ring wraps).
  void hint(std::size_t i) const noexcept {
    volatile std::uintptr_t address =
        reinterpret_cast<std::uintptr_t>(slots_.data() + slot(i));
    __builtin_prefetch(reinterpret_cast<const void *>(address));
  }
  void push(turn_record t, std::size_t capacity);
  void pop_front();
  void clear() noexcept;

  std::vector<turn_record> slots_; ///< grows up to the session's max_turns, then reused
  std::size_t head_ = 0;           ///< slot of the oldest turn
  std::size_t count_ = 0;
  /// Positions of the notable turns, counted from the first turn pushed
  /// since the last clear, oldest first.
  std::vector<std::uint64_t> notable_;
  std::uint64_t dropped_ = 0; ///< turns dropped from the front since the last clear
};

class session {
public:
  static constexpr std::size_t default_max_turns = 32;
  static constexpr timestamp_ms default_memory_ms = 24LL * 3600 * 1000;

  explicit session(std::size_t max_turns = default_max_turns,
                   timestamp_ms memory_ms = default_memory_ms);

  /// Recent turns, oldest first.
  [[nodiscard]] const recent_turns &turns() const noexcept { return turns_; }
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

  recent_turns turns_;
  std::uint64_t next_seq_ = 1;
  std::size_t max_turns_;
  timestamp_ms memory_ms_;
};

} // namespace triage
VETERAN_NAMESPACE_END
