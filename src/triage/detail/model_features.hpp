// Internal: the features the learned model reads, hashed to 32 bits.
//
// One walk, two users: the engine sums the model's weights over it (model.cpp)
// and engine::model_features() lists it for the offline training script, so
// training and inference can never disagree about what a feature is.
//
// Features, each hashed with a seed of its own kind:
//   word      each normalised token (the pack's word when the tokenizer
//             resolved it — leetspeak, spacing, typos — else the folded text)
//   bigram    each pair of adjacent tokens; "<s>" stands before a sentence
//   skip      each pair of tokens one apart ("took ... pills"), likewise
//   emoji     each emoji or pictograph code point in the original text
//   class     each word class of the pack a word belongs to (@medication,
//             @height_place ...) and each pair of classes met in one clause:
//             what frames combine, left for the model to weigh
//   engine    the rules' findings: each category and multiplier kind seen,
//             the message's own and third-person levels, each suppression
//             reason, each trigger's tense and subject, and the token count
//             in buckets (1, 2-3, 4-7, 8-15, 16+)
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "triage/detail/match.hpp"
#include "triage/detail/model_hash.hpp"
#include "triage/detail/rules.hpp"
#include "veteran/triage/assessment.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage::detail {


/// Code point of the UTF-8 sequence at text[i] when it is an emoji or
/// pictograph (U+2190..U+2BFF arrows/symbols/dingbats, U+1F000..U+1FAFF),
/// else 0; `len` receives the sequence length.
inline std::uint32_t emoji_at(std::string_view text, std::size_t i,
                              std::size_t &len) noexcept {
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 == 0xF0 && i + 3 < text.size()) {
    len = 4;
    const std::uint32_t cp = (static_cast<std::uint32_t>(text[i + 1] & 0x3F) << 12) |
                             (static_cast<std::uint32_t>(text[i + 2] & 0x3F) << 6) |
                             (static_cast<std::uint32_t>(text[i + 3] & 0x3F));
    return cp >= 0x1F000 && cp <= 0x1FAFF ? cp : 0;
  }
  if (b0 == 0xE2 && i + 2 < text.size()) {
    len = 3;
    const std::uint32_t cp = 0x2000 | (static_cast<std::uint32_t>(text[i + 1] & 0x3F) << 6) |
                             (static_cast<std::uint32_t>(text[i + 2] & 0x3F));
    return cp >= 0x2190 && cp <= 0x2BFF ? cp : 0;
  }
  len = 1;
  return 0;
}

/// Calls emit(hash) for every feature of the message. `s` and `m` are the
/// matcher's scratch and the rules' result for `text`; `a` the assessment the
/// rules filled (suppressions, triggers).
template <class Emit>
void for_each_model_feature(std::string_view text, const compiled_pack &cp,
                            const match_scratch &s, const message_result &m,
                            const assessment &a, Emit &&emit) {
  using namespace model_hash;
  std::uint32_t prev = seed::sentence_start, prev2 = seed::sentence_start;
  std::uint32_t prev_sentence = 0;
  for (std::size_t k = 0; k < s.tokens.size(); ++k) {
    const mtoken &t = s.tokens[k];
    const std::string_view w(s.buf.data() + t.text_begin, t.text_len);
    const std::uint32_t wh = t.id != 0 ? cp.token_model_hash[t.id] : word_hash(w);
    if (k > 0 && t.sentence != prev_sentence) prev = prev2 = seed::sentence_start;
    emit(wh);
    emit(combine(prev ^ seed::bigram, wh));
    emit(combine(prev2 ^ seed::skip_bigram, wh));
    prev2 = prev;
    prev = wh;
    prev_sentence = t.sentence;
  }
  for (std::size_t i = 0; i < text.size();) {
    // Plain ASCII (most chat) is skipped eight bytes at a time.
    if (i + 8 <= text.size()) {
      std::uint64_t chunk;
      std::memcpy(&chunk, text.data() + i, 8);
      if (!(chunk & 0x8080808080808080ull)) {
        i += 8;
        continue;
      }
    }
    if (static_cast<unsigned char>(text[i]) < 0xE2) {
      ++i;
      continue;
    }
    std::size_t len = 1;
    if (const std::uint32_t cp_emoji = emoji_at(text, i, len))
      emit(combine(seed::emoji, cp_emoji));
    i += len;
  }
  for (int c = 0; c < category_count; ++c)
    if (m.categories & (1u << c)) emit(tagged(1, static_cast<std::uint32_t>(c)));
  for (int k = 0; k < multiplier_kind_count; ++k)
    if (m.multipliers & (1u << k)) emit(tagged(2, static_cast<std::uint32_t>(k)));
  emit(tagged(3, static_cast<std::uint32_t>(m.own)));
  emit(tagged(4, static_cast<std::uint32_t>(m.other)));
  for (const auto &sup : a.suppressed)
    emit(tagged(5, fnv(seed::engine, sup.reason.data(), sup.reason.size())));
  for (const auto &tr : a.triggers)
    emit(tagged(6, static_cast<std::uint32_t>(tr.when) << 8 |
                       static_cast<std::uint32_t>(tr.who) << 4 |
                       static_cast<std::uint32_t>(tr.effective)));
  // Each class once, each pair of classes once per clause (a pack has at
  // most 64 classes: one bit each).
  std::uint64_t seen = 0, in_clause = 0;
  std::uint32_t clause = 0;
  for (const auto ri : s.roles) {
    const hit &h = s.hits[ri];
    const std::uint32_t c = cp.entries[h.entry].word_class;
    const std::uint64_t bit = std::uint64_t{1} << c;
    if (s.clause[h.first] != clause) {
      clause = s.clause[h.first];
      in_clause = 0;
    }
    if (!(seen & bit)) emit(tagged(8, c));
    seen |= bit;
    if (in_clause & bit) continue;
    for (std::uint64_t others = in_clause; others; others &= others - 1) {
      const auto d = static_cast<std::uint32_t>(__builtin_ctzll(others));
      emit(tagged(9, std::min(c, d) << 8 | std::max(c, d)));
    }
    in_clause |= bit;
  }
  const std::size_t n = s.tokens.size();
  const std::uint32_t bucket = n <= 1 ? 0 : n <= 3 ? 1 : n <= 7 ? 2 : n <= 15 ? 3 : 4;
  emit(tagged(7, bucket));
}

} // namespace triage::detail
VETERAN_NAMESPACE_END
