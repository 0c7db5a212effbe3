// Internal: the message-level rules of the assessment pipeline (rules.cpp),
// separated from matching and the engine plumbing so each rule is a small
// function over the matched hits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "triage/detail/match.hpp"
#include "veteran/triage/assessment.hpp"

#include "veteran/version.hpp"
VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

/// `current`, or `floor` if that is higher.
inline level raise_to(level current, level floor) {
  return current < floor ? floor : current;
}

/// What the message says on its own (before session rules).
struct message_result {
  level own = level::none;
  level other = level::none;
  /// Highest third-person trigger in the present whose category speaks of
  /// danger (intent, plan, means, ideation, passive death wish, self-harm,
  /// hopelessness, burden): someone else at risk now. Finality, distress and
  /// the like about another person (their funeral plan, their bad day) are
  /// not.
  level other_present = level::none;
  bool other_danger = false; ///< such a trigger at any time (past included)
  /// Highest severity of phrases that mean crisis only in context ("I've
  /// made my decision") found without talk of dying in the message: the
  /// conversation view counts them after a recent crisis turn.
  level context_level = level::none;
  double score = 0;
  std::uint32_t categories = 0;  ///< bits of active self-trigger categories
  std::uint32_t multipliers = 0; ///< bits of multiplier kinds found (not negated)
};

/// Applies exceptions, negation, tense, subject, reported speech, joking and
/// multipliers; fills the audit vectors of `a` and returns the levels.
message_result evaluate(const compiled_pack &cp, match_scratch &s, assessment &a);

/// The first half of evaluate(): one pack's rules over its matches in `s`,
/// appending triggers, suppressions and multipliers to `a` and setting
/// `r.context_level` and `r.multipliers`, without deriving levels. For a
/// pack run beside the primary one, whose findings join the primary's
/// before combine(). `s` must come from match() (which assigns its clauses).
void apply_rules(const compiled_pack &cp, match_scratch &s, assessment &a,
                 message_result &r);

/// The second half of evaluate(): levels, score and categories of `r` from
/// every trigger and multiplier in `a` (whichever pack found them); marks the
/// multipliers that applied.
void combine(assessment &a, message_result &r);

} // namespace triage::detail
VETERAN_NAMESPACE_END
