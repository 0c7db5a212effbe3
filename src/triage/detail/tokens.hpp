// Message tokenisation against a compiled pack: raw tokens → vocabulary ids,
// with leetspeak, stretched letters, letter spacing, lexicon and run-together
// words resolved. Used by the engine and the public normalize().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "triage/detail/compiled_pack.hpp"
#include "triage/detail/tokenizer.hpp"

#include "veteran/version.hpp"
VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

struct mtoken {
  std::uint32_t id = 0; ///< vocabulary id, 0 = unknown word
  std::uint32_t start = 0, end = 0;
  std::uint32_t text_begin = 0, text_len = 0; ///< raw word in token_scratch::buf
  std::uint32_t sentence = 0;
  bool quoted = false;
  bool clause_before = false; ///< clause punctuation before this token
  std::uint8_t flags = 0;     ///< compiled_pack::token_flags[id], kept at hand
  /// word_gate::fold of the hash of the raw word as written (before repair),
  /// which the tokenizer computes anyway: lets an engine ask another pack's
  /// word_gate about this message without tokenizing it again.
  std::uint32_t word_hash = 0;
};

/// Reusable per-thread buffers (never shared between threads).
struct token_scratch {
  std::string buf, tmp;
  std::string padded; ///< the message followed by 16 zero bytes (fast path loads)
  std::vector<raw_token> pending; ///< single letters that may spell a word ("d i e")
  std::vector<mtoken> tokens;
};

/// True when tokens[k] starts a new clause: a new sentence, clause
/// punctuation before it, or a clause-break word ("but", "and", ...).
inline bool starts_clause(const std::vector<mtoken> &tokens, std::size_t k) noexcept {
  const auto &t = tokens[k];
  return k > 0 && (t.sentence != tokens[k - 1].sentence || t.clause_before ||
                   (t.flags & tok_clause_break));
}

/// Fills s.tokens for `text`. Never throws except std::bad_alloc.
void tokenize(std::string_view text, const compiled_pack &cp, token_scratch &s);

} // namespace triage::detail
VETERAN_NAMESPACE_END
