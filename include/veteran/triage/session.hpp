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
/// the session is next changed.
///
/// Layout (for speed in a host serving many conversations, where a session
/// is rarely in cache): every turn keeps only a 24-byte brief (time, number,
/// conversation level) in one ring, so a benign turn costs one small write;
/// the turns that carry anything (a level, categories, multipliers or
/// patterns) keep their full record in a second, short list that the engine
/// reads. Element access therefore returns a copy of the turn, rebuilt from
/// its brief (and its full record when it has one).
class recent_turns {
public:
  [[nodiscard]] std::size_t size() const noexcept { return count_; }
  [[nodiscard]] bool empty() const noexcept { return count_ == 0; }
  /// A copy of the i-th remembered turn, oldest first (i < size()).
  [[nodiscard]] turn_record operator[](std::size_t i) const;
  [[nodiscard]] turn_record front() const { return (*this)[0]; }
  [[nodiscard]] turn_record back() const { return (*this)[count_ - 1]; }
  /// The message level of the i-th turn (i < size()), without copying it.
  [[nodiscard]] level own_level(std::size_t i) const noexcept;
  /// The turn number of the i-th turn (i < size()).
  [[nodiscard]] std::uint64_t seq(std::size_t i) const noexcept {
    return briefs_[slot(i)].seq;
  }
  /// The conversation level after the newest turn (none when empty).
  [[nodiscard]] level last_conversation() const noexcept {
    return count_ == 0 ? level::none : briefs_[slot(count_ - 1)].conversation;
  }

  class iterator {
  public:
    iterator(const recent_turns *r, std::size_t i) : r_(r), i_(i) {}
    turn_record operator*() const { return (*r_)[i_]; }
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
  /// turn that carries anything (a level, categories, multipliers or
  /// patterns), oldest first, where `turns_after` counts the turns remembered
  /// after it. Benign turns are skipped without being read, so the cost
  /// follows the turns that matter, not the length of the conversation.
  template <class Visit> void for_each_notable(Visit &&visit) const {
    for (const auto &n : notable_) {
      const auto i = static_cast<std::size_t>(n.position - dropped_);
      visit(n.turn, count_ - 1 - i);
    }
  }

  /// Asks the CPU to fetch what the engine will read and write (the oldest
  /// and newest briefs, the notable turns) while the message is still being
  /// matched: in a host serving many conversations they are rarely in cache.
  /// A hint only.
  void prefetch() const noexcept {
    if (count_ == 0) return;
    hint(briefs_.data() + slot(0));
    hint(briefs_.data() + slot(count_ - 1));
    for (const auto &n : notable_)
      hint(&n);
  }

private:
  friend class session;
  /// What every remembered turn keeps.
  struct brief {
    timestamp_ms at = 0;
    std::uint64_t seq = 0;
    level conversation = level::none;
    bool timed = true;
    bool notable = false;
  };
  /// A turn that carries something, with its place in the ring.
  struct notable_turn {
    std::uint64_t position; ///< counted from the first turn pushed since the last clear
    turn_record turn;
  };

  std::size_t slot(std::size_t i) const noexcept {
    const std::size_t s = head_ + i;
    return s < briefs_.size() ? s : s - briefs_.size();
  }
  /// Prefetches `p`. The address goes through a volatile because GCC 12 drops
  /// a prefetch whose address is chosen by a condition (as slot() does when
  /// the ring wraps).
  static void hint(const void *p) noexcept {
    volatile std::uintptr_t address = reinterpret_cast<std::uintptr_t>(p);
    __builtin_prefetch(reinterpret_cast<const void *>(address));
  }
  /// The full record of the i-th turn, or null when it is benign.
  const turn_record *notable_at(std::size_t i) const noexcept;
  [[nodiscard]] timestamp_ms oldest_at() const noexcept { return briefs_[head_].at; }
  void push(turn_record t, std::size_t capacity);
  void pop_front();
  void clear() noexcept;

  std::vector<brief> briefs_; ///< ring; grows up to the session's max_turns, then reused
  std::size_t head_ = 0;      ///< slot of the oldest turn
  std::size_t count_ = 0;
  std::vector<notable_turn> notable_; ///< oldest first
  std::uint64_t dropped_ = 0;         ///< turns dropped from the front since the last clear
};

/// Aligned to 128 bytes: a host serving many conversations finds a session
/// cold, and the fields the engine reads first then sit in one aligned pair
/// of cache lines, which the hardware fetches together.
class alignas(128) session {
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
