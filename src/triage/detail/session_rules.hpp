// Internal: the conversation view of the assessment pipeline (session
// rules): what a message means after the turns before it.
#pragma once

#include "triage/detail/rules.hpp"
#include "veteran/triage/session.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

/// How long a turn's level carries at full strength, then fades one level a
/// step. With host timestamps a step needs both the time and the turns to
/// pass (a retraction a minute later changes nothing) until a long quiet,
/// after which time alone counts; without timestamps, turns alone count.
struct carry_schedule {
  static constexpr std::size_t hold_turns = 3;
  static constexpr std::size_t turns_per_step = 4;
  static constexpr timestamp_ms hold_ms = 30LL * 60 * 1000;
  static constexpr timestamp_ms ms_per_step = 60LL * 60 * 1000;
  static constexpr timestamp_ms quiet_ms = 6LL * 60 * 60 * 1000; ///< then time alone counts
};

/// Levels a turn has faded by when `turns_after` turns have followed it and
/// the time is `now` (`timed`: now came from the host).
int fade_steps(const turn_record &t, std::size_t turns_after, timestamp_ms now, bool timed);

/// The conversation view of a message at `now` whose own level is
/// `message_lvl` (rules and model): patterns it completes (repeated ideation,
/// escalation, method or means after ideation, finality after burden or
/// hopelessness, sudden drop after a crisis, slow build-up), what earlier
/// turns still carry, and the trend. Fills message_level,
/// conversation_level, direction, patterns, trajectory and turn of `a`,
/// sets `next` to the turn to record, and returns the level to act on.
level apply_session_rules(const message_result &m, level message_lvl, const session &s,
                          timestamp_ms now, bool timed, assessment &a, turn_record &next);

} // namespace triage::detail
VETERAN_NAMESPACE_END
