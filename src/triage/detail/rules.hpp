// The message-level rules of the assessment pipeline, separated from the
// engine plumbing so each rule is a small function over the matched hits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "triage/detail/compiled_pack.hpp"
#include "triage/detail/tokens.hpp"
#include "veteran/triage/assessment.hpp"

#include "veteran/version.hpp"
VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

/// One pattern match over tokens [first, last] (inclusive).
struct hit {
  std::uint32_t entry = 0;
  std::uint32_t phrase = 0;
  std::uint32_t first = 0, last = 0;
  std::uint8_t flags = 0;
  bool dropped = false; ///< suppressed, negated or covered by a longer match
};

struct match_scratch : token_scratch {
  std::vector<hit> hits;
  std::vector<std::uint32_t> clause; ///< clause index per token
  std::vector<std::uint32_t> signals, multipliers, exceptions;
  std::vector<std::uint32_t> cues[cue_kind_count];
  bool cues_filled = false; ///< some cues vector may be non-empty
};

/// Tokenises and matches `text`, filling every vector of `s`.
void match(std::string_view text, const compiled_pack &cp, match_scratch &s);

/// What the message says on its own (before session rules).
struct message_result {
  level own = level::none;
  level other = level::none;
  double score = 0;
  std::uint32_t categories = 0;  ///< bits of active self-trigger categories
  std::uint32_t multipliers = 0; ///< bits of multiplier kinds found (not negated)
};

/// Applies exceptions, negation, tense, subject, reported speech, joking and
/// multipliers; fills the audit vectors of `a` and returns the levels.
message_result evaluate(const compiled_pack &cp, match_scratch &s, assessment &a);

} // namespace triage::detail
VETERAN_NAMESPACE_END
