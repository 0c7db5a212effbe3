// Internal: matching a message against a compiled pack (match.cpp): the
// tokens, the pattern hits and the per-thread scratch that holds them.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "triage/detail/compiled_pack.hpp"
#include "triage/detail/tokens.hpp"

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

/// Which role hits filled a frame hit (for its explanation).
struct frame_fill {
  std::uint32_t frame_hit = 0;
  std::uint32_t role_hits[6] = {};
  std::uint32_t roles = 0;
};

struct match_scratch : token_scratch {
  std::vector<hit> hits;
  std::vector<std::uint32_t> clause; ///< clause index per token
  std::vector<std::uint32_t> signals, multipliers, exceptions;
  std::vector<std::uint32_t> roles, unless; ///< word-class hits; unless_any hits
  std::vector<std::uint64_t> clause_classes; ///< per clause: the classes its role hits fill
  std::vector<frame_fill> fills;            ///< one per frame hit
  std::vector<std::uint32_t> cues[cue_kind_count];
  bool cues_filled = false; ///< some cues vector may be non-empty
};

/// Fills s.clause: the clause index of every token (see starts_clause).
void assign_clauses(match_scratch &s);

/// True when some token of a message, as another pack's tokenizer left it in
/// `s` (mtoken::word_hash and the raw word), is a word of `gate`: only then
/// can the gate's pack match the message.
bool gate_open(const word_gate &gate, const token_scratch &s) noexcept;

/// Tokenises and matches `text`, filling every vector of `s`.
void match(std::string_view text, const compiled_pack &cp, match_scratch &s);

} // namespace triage::detail
VETERAN_NAMESPACE_END
